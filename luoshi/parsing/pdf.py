"""PDF documents: the text layer, page by page."""
from __future__ import annotations

import io

from .model import ParseError


def pdf_text(data: bytes) -> str:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    pages = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise ParseError("empty_pdf")
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
    except ParseError:
        raise
    except PDFSyntaxError as e:
        raise ParseError("damaged_pdf", detail=str(e)) from None
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        raise ParseError("damaged_pdf", detail=f"{type(e).__name__}: {e}") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ParseError("scanned_pdf", pages=len(pages))
    return text
