"""HTML built in Python for speed (matrix cells, framing "leaves out" items) must equal what the
template's own Jinja code wrote before, escaping included: the report stays byte-identical."""

from __future__ import annotations

import gc

import pytest

from newsprism.report.html import _gc_paused, report_environment
from newsprism.report.html_claims import _Cells
from newsprism.report.html_model import ArticleView, WordingView
from newsprism.report.html_wording import _omitted, _wording_cell
from newsprism.report.schema import ArticleOut, Claim

# the per-cell template code the matrix used before the cells were built in Python (trim_blocks and
# lstrip_blocks on, as in the report environment)
_OLD_CELL = """\
        {% for state in cells %}{% set a = articles[loop.index0] %}
        <td class="np-cell np-{{ state }} {{ a.tint if state in ('carried', 'contradicted') }}" \
title="{{ a.number }}. {{ a.article.outlet }}: {{ {'carried': 'carries it', 'partial': 'states part of it', \
'omitted': 'leaves it out', 'contradicted': 'carries it, with a contradicting detail', \
'absent': 'does not carry it'}[state] }}">
          <span aria-hidden="true">{{ {'carried': '●', 'partial': '◐', 'omitted': '○', 'contradicted': '≠', \
'absent': ''}[state] }}</span><span class="np-sr">{{ state }}</span></td>
        {% endfor %}
"""
_STATES = ("carried", "partial", "omitted", "contradicted", "absent")


def _view(k: int, outlet: str, tint: str) -> ArticleView:
    art = ArticleOut.model_validate({"id": f"a{k}", "outlet": outlet, "text": "The ferry ran late."})
    return ArticleView(number=k, article=art, group=k, tint=tint, segments=(), words=4, artifacts=0)


@pytest.mark.parametrize("outlet", ["Harbour Gazette", 'The "Quay" <Post> & Co\'s', "Ölsund Tidning"])
def test_matrix_cells_equal_the_template_rendering(outlet: str) -> None:
    articles = [_view(k, f"{outlet} {k}", "g1" if k % 2 else "gs") for k in range(1, 6)]
    cells = [_STATES[(k + shift) % 5] for shift in range(3) for k in range(5)]
    columns = [articles[k % 5] for k in range(len(cells))]
    old = report_environment().from_string(_OLD_CELL).render(cells=cells, articles=columns)
    built = {a.number: _Cells(a) for a in articles}
    new = "".join(built[a.number][state] for a, state in zip(columns, cells, strict=True))
    assert new == old
    assert sum(map(len, built.values())) == len({(a.number, s) for a, s in zip(columns, cells, strict=True)})


def test_omitted_claim_items_equal_the_hl_macro() -> None:
    text = 'The council said the "night ferry" <will> stop & resume ' + "later " * 40
    claims = {cid: Claim.model_validate({"id": cid, "text": t, "spans": [], "sources": []})
              for cid, t in (("c1", text), ("c2", "Fares rise."))}
    keys = {"c1": "t<1>", "c2": "t2"}
    old = report_environment().from_string(
        '{% from "macros.html.j2" import hl %}'
        '{% for cid, key, text in omits %}<li>{{ hl(key, text, text, "np-claim") }}</li>{% endfor %}')
    cache: dict[str, tuple[tuple[str, str, str], str]] = {}
    got = [_omitted(cache, cid, keys, claims) for cid in ("c1", "c2", "c1")]
    assert "".join(html for _, html in got) == old.render(omits=[item for item, _ in got])
    assert got[0][0][2].endswith("…") and len(got[0][0][2]) == 160  # the text is cut as the cards show it
    assert got[0] is got[2]  # one build per claim, however many cards list it


_OLD_WORDINGS = (
    "{% for cell in cells %}<td>{% for wording, count, loaded in cell.wordings %}"
    "<span class=\"{{ 'np-loaded-word' if loaded }}\">{{ wording }}</span>{% if count > 1 %} "
    "<span class=\"np-small\">×{{ count }}</span>{% endif %}{{ \"; \" if not loop.last }}"
    "{% else %}<span class=\"np-small\">—</span>{% endfor %}</td>{% endfor %}"
)


def test_word_choice_cells_equal_the_template_rendering() -> None:
    cells = [WordingView(()), WordingView((("mayor", 1, False),)),
             WordingView((('the "strike" <boss>', 3, True), ("union chief & co", 1, False), ("boss", 2, False))),
             WordingView(())]
    old = report_environment().from_string(_OLD_WORDINGS).render(cells=cells)
    assert "".join(_wording_cell(c) for c in cells) == old


def test_render_pauses_the_cycle_collector_and_restores_it() -> None:
    assert gc.isenabled()
    with _gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own setting is kept
    finally:
        gc.enable()
    with pytest.raises(RuntimeError), _gc_paused():
        raise RuntimeError("a failed render")
    assert gc.isenabled()
