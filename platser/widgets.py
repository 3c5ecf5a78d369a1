"""A small GeoJSON map widget on top of django-leaflet's Leaflet assets (no GDAL).

The widget renders a textarea holding the GeoJSON (usable with the keyboard and without
JavaScript) and a map div; ``static/js/map.js`` draws on the map and writes GeoJSON back.
Optional: ``center`` and ``context`` name ``json_script`` ids with the bounds to open on and a
geometry to show underneath (the place's boundary); ``locate`` adds "Använd min position";
``record`` (lines) adds recording the route from the phone's position
(``static/js/route_record.js``); ``follow`` names a select (the place's municipality) and
``centres`` the ``json_script`` id of ``{option value: [lat, lon]}``: choosing an option moves an
empty map there.
"""

import json

from django import forms


class GeoJSONWidget(forms.Textarea):
    template_name = "platser/widgets/geojson.html"

    def __init__(
        self,
        geometry_type: str = "Polygon",
        attrs=None,
        *,
        center="",
        context="",
        locate=False,
        record=False,
        follow="",
        centres="",
    ):
        self.geometry_type = geometry_type
        self.center = center
        self.context = context
        self.locate = locate
        self.record = record
        self.follow = follow
        self.centres = centres
        super().__init__(attrs={"rows": 3, "class": "geojson-input", **(attrs or {})})

    def format_value(self, value):
        # An empty JSONField arrives as None or the string "null"; show an empty box instead.
        if value in (None, "", "null"):
            return ""
        if isinstance(value, dict):
            return json.dumps(value)
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            geometry_type=self.geometry_type,
            center=self.center,
            context=self.context,
            locate=self.locate,
            record=self.record,
            follow=self.follow,
            centres=self.centres,
        )
        return context
