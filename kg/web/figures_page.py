"""``/figures.svg``: the figures chart (:mod:`kg.figures_chart`) of the
served graph, shown on the home page and offered as a download
(``?download=1`` names it as an attachment)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def _chart(kg: object) -> bytes:
    from kg.web.figures_chart import chart_rows, figures_svg
    from visualize.picture import source_line

    zh, _en = source_line(kg.asserted)  # type: ignore[attr-defined]
    return figures_svg(chart_rows(kg), source=zh).encode("utf-8")  # type: ignore[arg-type]


async def figures_svg(request: Request) -> Response:
    state = request.app.state
    if getattr(state, "figures_chart", None) is None:
        state.figures_chart = await run_in_threadpool(_chart, state.site.kg)
    disposition = "attachment" if request.query_params.get("download") else "inline"
    return Response(
        state.figures_chart,
        media_type="image/svg+xml; charset=utf-8",
        headers={"Content-Disposition": f'{disposition}; filename="linzi-figures.svg"'},
    )


def routes() -> list[Route]:
    return [Route("/figures.svg", figures_svg)]
