"""The submit form (multipart) -> a :class:`Submission`, within the size limits."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request

from newsprism.web.submission import Limits, PastedArticle, Submission, Upload

__all__ = ["FormError", "read_form"]


class FormError(Exception):
    """The form could not be accepted; the message is for the user. ``status`` is the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _one_line(value: object, limit: int = 1000) -> str | None:
    text = " ".join(str(value or "").split())[:limit]
    return text or None


async def read_form(request: Request, limits: Limits) -> Submission:
    """Read the fields ``title``, ``outlet``/``headline``/``text`` (repeated, one per pasted
    article), ``urls`` (one per line) and ``files`` (several)."""
    try:
        form = await request.form(max_files=limits.max_inputs, max_fields=limits.max_inputs * 4 + 16,
                                  max_part_size=limits.max_text_chars * 4 + 1024)
    except Exception as e:  # starlette's HTTPException / MultiPartException: bad or oversized form
        status = getattr(e, "status_code", 400)  # 413 when the body ran past the limit mid-stream
        status = status if isinstance(status, int) and 400 <= status < 500 else 400
        raise FormError(f"the form could not be read ({getattr(e, 'detail', e)})", status=status) from e
    try:
        texts = form.getlist("text")
        outlets = form.getlist("outlet")
        headlines = form.getlist("headline")
        pasted = []
        for n, raw in enumerate(texts):
            if not isinstance(raw, str) or not raw.strip():
                continue
            pasted.append(PastedArticle(
                text=raw,
                outlet=_one_line(outlets[n] if n < len(outlets) else None, 200),
                title=_one_line(headlines[n] if n < len(headlines) else None),
            ))
        uploads = []
        for item in form.getlist("files"):
            if not isinstance(item, UploadFile) or not item.filename:
                continue
            data = await item.read(limits.max_file_bytes + 1)
            if len(data) > limits.max_file_bytes:
                raise FormError(f"{item.filename} is larger than the {limits.max_file_bytes / 1024 / 1024:g} MB "
                                "limit per file", status=413)
            uploads.append(Upload(name=item.filename, data=data))
        raw_urls = form.get("urls")
        urls = tuple(u.strip() for u in (raw_urls if isinstance(raw_urls, str) else "").splitlines() if u.strip())
        title = form.get("title")
        return Submission(title=_one_line(title if isinstance(title, str) else None, 500), texts=tuple(pasted),
                          files=tuple(uploads), urls=urls)
    finally:
        await form.close()
