"""``{% allowed "predicate" obj as name %}``: an object-level permission check in a template.

``can.<predicate>`` answers without an object (may this member do it anywhere?); buttons for one
place, measure or finding must ask about that object, or a place lead of another place is shown
a link that answers 403.
"""

from django import template

from partnerships.rules import has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name: str, obj=None) -> bool:
    return has_perm(context.get("current_membership"), name, obj)
