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
                raise ParseError("the PDF has no pages")
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
    except ParseError:
        raise
    except PDFSyntaxError as e:
        raise ParseError(f"the PDF is damaged and cannot be read ({e})") from None
    except Exception as e:  # pdfminer raises many unrelated types for broken files
        raise ParseError(f"the PDF cannot be read ({type(e).__name__}: {e})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise ParseError(
            f"the PDF has {len(pages)} page(s) but no text layer: it looks scanned; "
            "run it through OCR or upload the .docx or .txt it was made from"
        )
    return text
