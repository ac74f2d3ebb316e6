from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def position_of(order, item_id):
    """1-based place of an item in a saved ordering answer."""
    try:
        return list(order).index(item_id) + 1
    except (ValueError, TypeError):
        return None
