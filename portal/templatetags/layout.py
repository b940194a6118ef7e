"""Layout blocks shared by every page."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist: NodeList, label: FilterExpression) -> None:
        self.nodelist = nodelist
        self.label = label

    def render(self, context: Context) -> SafeString:
        content = mark_safe(self.nodelist.render(context))  # rendered by the template engine, escaped there
        return format_html(
            '<div class="table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            content,
        )


@register.tag
def scrollregion(parser: Parser, token: Token) -> ScrollRegionNode:
    """`{% scrollregion _("Label") %}<table>…</table>{% endscrollregion %}`: a table that may scroll sideways.

    A named region that takes the keyboard focus, so it can be scrolled without a mouse (WCAG 2.1.1,
    axe's scrollable-region-focusable); the stylesheet shades the edge that hides more columns.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("scrollregion takes one argument: the region's label")
    nodelist = parser.parse(("endscrollregion",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, parser.compile_filter(bits[1]))
