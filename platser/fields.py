"""Form fields that validate GeoJSON with ``platser.geo`` and show Swedish messages."""

from django import forms

from . import geo
from .widgets import GeoJSONWidget


class _GeoJSONField(forms.Field):
    geometry_type = ""
    validator = staticmethod(lambda value: value)

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", GeoJSONWidget(self.geometry_type))
        super().__init__(**kwargs)

    def to_python(self, value):
        return self.validator(value)

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True


class PolygonField(_GeoJSONField):
    geometry_type = "Polygon"
    validator = staticmethod(geo.validate_polygon)


class PointField(_GeoJSONField):
    geometry_type = "Point"
    validator = staticmethod(geo.validate_point)


class LineField(_GeoJSONField):
    geometry_type = "LineString"
    validator = staticmethod(geo.validate_line)
