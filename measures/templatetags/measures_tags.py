from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """``row|get:"organisation__name"``: a dict value whose key is not a valid attribute."""
    return mapping.get(key, "")
