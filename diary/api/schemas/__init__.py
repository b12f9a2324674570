"""Marshmallow schemas of the API's resources, one module per resource family."""
