"""What the parser tells its users, in Chinese: error and warning messages by code.

The people who read these are officials in a district office, in a Chinese
UI, so every message is Chinese and says two things: what is wrong with the
document, and what to do about it. Programs read the stable English ``code``
instead (docs/outline-schema.md lists them); the message may be reworded.

Templates are filled from the error's or warning's context. ``{file}`` is the
subject of a sentence about the file: 文件「plan.docx」 when the file name is
known, else 文件 (or the context's ``what``, e.g. 文本 for ``parse_text``).
"""
from __future__ import annotations

ERRORS: dict[str, str] = {
    # Reading the file (parse_file).
    "not_found": "找不到文件「{path}」。请检查文件名和路径。",
    "is_directory": "「{path}」是一个文件夹，不是文件。请选择规划文件本身。",
    "unreadable": "无法读取文件「{path}」（{reason}）。请检查文件是否存在、是否有读取权限。",
    "too_large": "{file}有 {size_mb} MB，超过了 {limit_mb} MB 的上限。请只上传规划正文：删去其中的图片和附件后另存，再重新上传。",
    "too_many_paragraphs": "{file}有 {paragraphs} 段文字，超过了 {limit} 段的上限，不像一份规划，更像整批数据或重复内容。请只上传规划正文；任务分解表请另存为 Excel 单独导入。",
    # What the file is (sniffed from its content).
    "empty": "{file}是空的，没有任何内容。请检查是否选错了文件。",
    "binary": "{file}不是文字文档，而是二进制数据。请上传规划的 Word（.docx）、PDF 或 TXT 文件。",
    "legacy_doc": "{file}是旧版 Word（.doc）或 Excel（.xls）格式，无法直接读取。请用 Word 或 WPS 打开，另存为 .docx 后重新上传。",
    "rtf": "{file}是 RTF 格式，无法直接读取。请用 Word 或 WPS 打开，另存为 .docx 后重新上传。",
    "image": "{file}是一张图片（{format}），不是文字文档。请上传规划的 Word（.docx）、PDF 或 TXT 文件；只有纸质稿或图片的，请先用 OCR 识别成文字。",
    "archive": "{file}是压缩包（{format}），不是规划文档。请解压后上传其中的规划文件（.docx、.pdf 或 .txt）。",
    "presentation": "{file}是 PowerPoint 演示文稿，不是规划文档。请上传规划的 Word（.docx）、PDF 或 TXT 文件。",
    "not_docx": "{file}的扩展名是 .docx，但内容不是 Word 文档。请用 Word 或 WPS 另存为 .docx 后重新上传。",
    "not_pdf": "{file}的扩展名是 .pdf，但内容不是 PDF 文档。请重新导出 PDF，或直接上传规划的 Word（.docx）原稿。",
    # Plain text: the encoding and whether it reads as Chinese.
    "bad_encoding": "{file}开头标明是 {encoding} 编码，但内容不是有效的 {encoding} 文本（第 {byte} 字节出错），文件可能已损坏。请用记事本或 WPS 打开，另存为 UTF-8 文本后重新上传。",
    "garbled_text": "{file}按 {encoding} 编码读不出正常的中文：只有 {percent}% 是可读文字，像是乱码或二进制数据。请用记事本或 WPS 打开确认内容正常，另存为 UTF-8 文本后重新上传。",
    "no_chinese": "{file}中没有中文内容，不是一份中文规划。请检查是否选错了文件。",
    "little_chinese": "{file}中只有 {percent}% 是中文，不像一份中文规划。请检查是否选错了文件。",
    "nonsense_text": "{file}按 {encoding} 编码读不出正常的中文：读出的大多是生僻字，只有 {percent}% 是常用字，像是乱码。请用记事本或 WPS 打开确认内容正常，另存为 UTF-8 文本后重新上传。",
    "no_text": "{file}中没有可读的文字。请检查是否选错了文件。",
    # Zip-based files (.docx, .xlsx, .pptx), checked by safezip before any library opens them.
    "damaged_zip": "{file}已损坏，无法解压读取。请用 Word、WPS 或 Excel 打开并另存后重新上传。",
    "zip_encrypted": "{file}中的部件「{entry}」已加密，无法读取。请取消文档密码后另存，再重新上传。",
    "zip_entries": "{file}中有 {entries} 个部件，超过了 {limit} 个的上限，不是正常的 Office 文档，已拒绝读取。请用 Word、WPS 或 Excel 打开并另存后重新上传。",
    "zip_entry": "{file}中的部件「{entry}」解压后有 {size_mb} MB，超过了单个部件 {limit_mb} MB 的上限，可能是恶意构造的压缩文件，已拒绝读取。请删去其中的大图片或多余内容后另存，再重新上传。",
    "zip_total": "{file}解压后有 {size_mb} MB，超过了 {limit_mb} MB 的上限，可能是恶意构造的压缩文件，已拒绝读取。请删去其中的大图片或多余内容后另存，再重新上传。",
    "zip_ratio": "{file}中的部件「{entry}」压缩了 {ratio} 倍，超过了 {limit} 倍的上限，像是恶意构造的压缩文件（压缩炸弹），已拒绝读取。请用 Word、WPS 或 Excel 打开并另存后重新上传。",
    "zip_lying": "{file}中的部件「{entry}」解压出的内容多于它声明的 {declared} 字节，文件已损坏或被篡改，已拒绝读取。请用 Word、WPS 或 Excel 打开并另存后重新上传。",
    # Word and PDF.
    "damaged_docx": "{file}已损坏，无法作为 Word 文档打开。请用 Word 或 WPS 打开并另存为 .docx 后重新上传。",
    "damaged_xlsx": "{file}已损坏，无法作为 Excel 表格打开。请用 Excel 或 WPS 打开并另存为 .xlsx 后重新上传。",
    "xlsx_no_tasks": "{file}的工作表（{sheets}）中没有找到任务分解表的表头。表头应包含“任务”（或“工作任务”“重点任务”“任务内容”）一列，以及“牵头单位”“责任单位”“配合单位”或“完成时限”中的至少一列。请检查表头后重新上传。",
    "xlsx_too_many_rows": "{file}的工作表「{sheet}」超过 {limit} 行，不像一份任务分解表。请只保留任务清单后重新上传。",
    "empty_pdf": "{file}是一个没有页面的 PDF。请重新导出 PDF，或直接上传规划的 Word（.docx）原稿。",
    "damaged_pdf": "{file}已损坏，无法读取其中的 PDF 内容。请重新导出 PDF，或直接上传规划的 Word（.docx）原稿。",
    "scanned_pdf": "{file}共 {pages} 页，但没有文字层，看起来是扫描件。请先用 OCR 识别成文字，或上传生成它的 Word（.docx）或 TXT 原稿。",
}

WARNINGS: dict[str, str] = {
    "heading_recovered": "标题“{title}”后的句号在原文中已损坏（成了{damage}），已按同级标题的排比句式恢复为标题。请核对原文。",
    "lead_phrase_rejected": "“{title}”与同级各项的排比句式不一致，未作为标题，{outcome}。请核对是否正确。",
    "numbering_jump": "编号从 {previous} 跳到了 {number}（“{text}”），该段未作为标题，已并入上一节正文。请检查原文编号是否漏编或错编。",
    "table_not_tasks": "表格“{caption}”（{rows} 行）不是任务分解表（没有“任务”和“牵头单位”“责任单位”或“完成时限”等表头），未拆分为任务，其文字已放在导语中。请核对其中是否有任务。",
    "no_sections": "没有找到可识别的标题（如“一、”“（一）”“1.”或 Word 标题样式），无法拆分章节。请检查文档是否为规划正文。",
}

# How lead_phrase_rejected ends, by what became of the phrase.
REJECTED_OUTCOME = {True: "已作为结束语", False: "已并入上一项的正文"}


def _file(context: dict) -> str:
    name = context.get("filename")
    return f"文件「{name}」" if name else context.get("what", "文件")


def error_message(code: str, context: dict) -> str:
    return ERRORS[code].format(file=_file(context), **context)


def warning_message(code: str, context: dict) -> str:
    fill = dict(context)
    if code == "lead_phrase_rejected":
        fill["outcome"] = REJECTED_OUTCOME[bool(context.get("closing"))]
    if code == "heading_recovered":
        damage = context.get("damage", "").strip()
        fill["damage"] = f"“{damage}”" if damage else "空格"
    return WARNINGS[code].format(**fill)
