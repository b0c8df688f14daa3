"""Renderers for the CMS families: each turns (path, query, today) into a Page of the site's markup."""

from __future__ import annotations

from replica.families.base import Page, Renderer
from replica.families.clock import ClockRenderer
from replica.families.liferay import LiferayRenderer
from replica.families.newspaper import NewspaperRenderer
from replica.families.party import PartyRenderer
from replica.families.sharepoint import SharePointRenderer
from replica.families.tablecaps import TableCapsRenderer
from replica.families.tv import TvRenderer
from replica.families.webforms import WebFormsRenderer
from replica.model import Family, Site
from replica.world import World

__all__ = ["Page", "Renderer", "renderer_for"]

_RENDERERS: dict[Family, type[Renderer]] = {
    Family.NEWSPAPER: NewspaperRenderer,
    Family.PARTY: PartyRenderer,
    Family.LIFERAY: LiferayRenderer,
    Family.SHAREPOINT: SharePointRenderer,
    Family.TV: TvRenderer,
    Family.WEBFORMS: WebFormsRenderer,
    Family.TABLECAPS: TableCapsRenderer,
    Family.CLOCK: ClockRenderer,
}


def renderer_for(site: Site, world: World, port: int) -> Renderer:
    """The renderer of `site`'s family, producing absolute links for `port`."""
    try:
        cls = _RENDERERS[site.family]
    except KeyError:
        raise ValueError(f"no renderer for family {site.family!r} of site {site.id}") from None
    return cls(site, world, port)
