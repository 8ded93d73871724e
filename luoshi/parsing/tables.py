"""任务分解表: task tables, as rows of cells or flattened into text.

A plan's tasks often come as a table: 序号 | 任务 | 牵头单位 | 配合单位 | 完成时限,
in a Word document, a spreadsheet, or the appendix of a published plan where
the page turned every cell into its own paragraph. ``task_rows`` reads a table
whose rows are known; ``flat_table_rows`` first rebuilds the rows of a
flattened one from the header's columns and the shape of each cell.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date

from . import facts
from .clauses import looks_like_unit, split_units
from .labels import match_label
from .model import Deadline, Measure, Responsibility, Section

# Roles a column can play, from its header. The order matters where one
# header could match two roles: 牵头 before the naming words, the task
# words that name a list before the plain 任务.
_HEADER_ROLES = [
    ("number", r"序号|编号|序|号"),
    ("lead", r"牵头单位|牵头部门|牵头处室|主责单位|主责部门|牵头责任单位|责任牵头单位|牵头"),
    ("co", r"配合单位|配合部门|配合处室|协办单位|协同单位|参与单位|协助单位|配合"),
    ("units", r"责任单位|责任部门|责任主体|推进单位|实施主体|实施单位|承办单位|落实单位|责任处室"),
    ("deadline", r"完成时限|完成时间|时间节点|时限要求|时限|完成期限|进度安排|时间安排|计划完成时间|完成节点"),
    ("task", r"重点任务|工作任务|任务内容|重点内容|主要任务|具体措施|工作内容|具体任务|重点工作|工作措施|主要内容|任务措施|工作事项|具体内容"),
    ("group", r"任务类型|任务分类|任务类别|工作类别|类别|类型|分类|领域|板块|主要方向|工作方向|专项|任务名称|项目类别"),
    ("weak_task", r"任务|事项|项目名称|内容|项目"),
]
_ROLE_OF = [(role, re.compile(rf"^(?:{words})$")) for role, words in _HEADER_ROLES]
# Other columns a task table has (references, yearly targets, remarks): kept
# as columns so that the cells line up, not read.
_OTHER_HEADER = re.compile(
    r"^(?:(?:19|20)[0-9]{2}年(?:度)?)?[\u4e00-\u9fff]{0,6}(?:计划|项目|文件|备注|依据|目标|指标|说明|成果|形式|标准|要求|资金|投资|地点)$"
)
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")
_UNIT_ROLES = ("lead", "co", "units")

_ROW_NUMBER = re.compile(r"^[（(]?([0-9]{1,3})[）)]?[.、．]?$")
_NUMBERED_TASK = re.compile(r"^[（(]([0-9]{1,3})[）)]\s*")
_TABLE_END = re.compile(r"^(?:附件|附表)\s*[0-9一二三四五六七八九十]*\s*[：:]?$")
_DATE = re.compile(
    r"^(?:(?:19|20)[0-9]{2}\s*年)?(?:[0-9]{1,2}\s*月)?(?:(?:底|末|中旬|上旬|下旬)?(?:前|以前|之前|内|底)?)?"
    r"(?:[-—–~～至到](?:(?:19|20)[0-9]{2}\s*年)?(?:[0-9]{1,2}\s*月)?(?:底|末)?(?:前)?)?$"
    r"|^(?:长期|持续|持续推进|常态化|长效|年内|年底前|年底|上半年|下半年|每年|全年|每季度|每月|按计划|逐年推进)"
)


@dataclass
class TableTask:
    """One task row: its text and the units and time limit its cells name, as written."""

    group: str
    number: str
    text: str
    lead: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)
    deadline: str = ""
    clause: str = ""

    @property
    def responsibility(self) -> Responsibility | None:
        if not self.clause:
            return None
        return Responsibility(clause=self.clause, lead=list(self.lead), co=list(self.co), form="table")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def header_role(text: str) -> str | None:
    """The role of a column from its header (``"lead"``, ``"task"`` …), "other" for a known extra column, else None."""
    words = _squeeze(text)
    for candidate in (words, _BRACKETED.sub("", words)):
        if not candidate:
            continue
        for role, pattern in _ROLE_OF:
            if pattern.match(candidate):
                return role
        if _OTHER_HEADER.match(candidate):
            return "other"
    return None


def _roles(header: list[str]) -> list[str] | None:
    """Column roles of a header row, or None when it is not the header of a task table."""
    roles = [header_role(cell) or ("" if not _squeeze(cell) else "unknown") for cell in header]
    known = [r for r in roles if r not in ("", "unknown")]
    if len(known) < 2 or len(known) < len([r for r in roles if r]) - 1:
        return None
    if "task" not in roles:
        if "weak_task" not in roles:
            return None
        roles[roles.index("weak_task")] = "task"
    # 任务名称 beside 任务内容: the name heads a group of rows, the content is the task.
    roles = ["group" if r == "weak_task" else r for r in roles]
    if not any(r in _UNIT_ROLES for r in roles) and "deadline" not in roles:
        return None
    return roles


def is_task_header(row: list[str]) -> bool:
    return _roles(row) is not None


def task_rows(rows: list[list[str]]) -> list[TableTask]:
    """The tasks of a table given as rows of cell texts, or [] when it has no task header.

    The header row may come after a title row. A header repeated further
    down (a table continued over pages) is skipped; a row whose cells all
    carry one text (a merged row across the table, 一、… or 行动一：…) names
    the group of the rows below it; an empty group cell under a merged one
    keeps the group above; a row without a task text is skipped.
    """
    for h, row in enumerate(rows):
        roles = _roles(row)
        if roles is not None:
            break
    else:
        return []
    header = [_squeeze(c) for c in rows[h]]
    tasks: list[TableTask] = []
    spanning_group = ""
    group_above = ""
    for row in rows[h + 1:]:
        cells = [(c or "").strip() for c in row] + [""] * (len(roles) - len(row))
        if [_squeeze(c) for c in cells[:len(header)]] == header:
            continue
        filled = [c for c in cells if c]
        if filled and len(set(filled)) == 1 and len(roles) > 1 and (len(filled) > 1 or cells[0]):
            spanning_group, group_above = filled[0], ""
            continue
        text = _cell(cells, roles, "task")
        group_cell = " ".join(c for c, r in zip(cells, roles) if r == "group" and c)
        if group_cell:
            group_above = group_cell
        if not text:
            continue
        number = _cell(cells, roles, "number")
        numbered = _NUMBERED_TASK.match(text)
        if numbered and not number:
            number, text = numbered.group(1), text[numbered.end():]
        group = " ".join(g for g in (spanning_group, group_above) if g)
        tasks.append(_task(group, number, text, cells, roles))
    return tasks


def _cell(cells: list[str], roles: list[str], role: str) -> str:
    return "\n".join(c for c, r in zip(cells, roles) if r == role and c)


def _task(group: str, number: str, text: str, cells: list[str], roles: list[str]) -> TableTask:
    lead: list[str] = []
    named: list[str] = []
    unit_cells = []
    for cell, role in zip(cells, roles):
        if role not in _UNIT_ROLES or not cell:
            continue
        unit_cells.append(cell)
        for unit in split_units(cell):
            target = lead if role == "lead" else named
            if unit not in target:
                target.append(unit)
    if not lead and "lead" not in roles and "co" in roles:
        # 责任单位 beside 配合单位: the responsible unit is the one the others help.
        lead = [u for c, r in zip(cells, roles) if r == "units" and c for u in split_units(c)]
        named = [u for c, r in zip(cells, roles) if r == "co" and c for u in split_units(c)]
    co = list(dict.fromkeys(u for u in named if u not in lead))
    return TableTask(
        group=group,
        number=number.strip(),
        text=text.strip(),
        lead=list(dict.fromkeys(lead)),
        co=co,
        deadline=_cell(cells, roles, "deadline"),
        clause="\n\n".join(unit_cells),
    )


# ---------------------------------------------------------------------------
# Flattened tables: one cell per paragraph.


def _blocks(lines: list[str]) -> list[str]:
    """Cells of a flattened table: runs of lines between blank lines, or single lines when there are none.

    A cell that ends in 、 goes on in the next one (a unit list broken by the page).
    """
    if any(not line.strip() for line in lines):
        blocks, current = [], []
        for line in lines:
            if line.strip():
                current.append(line.strip())
            elif current:
                blocks.append("\n".join(current))
                current = []
        if current:
            blocks.append("\n".join(current))
    else:
        blocks = [line.strip() for line in lines]
    joined: list[str] = []
    for block in blocks:
        if joined and joined[-1].endswith("、"):
            joined[-1] += "\n\n" + block
        else:
            joined.append(block)
    return joined


def _flat_header(blocks: list[str]) -> tuple[int, int, list[str], list[str]] | None:
    """Where the header starts and ends, its column titles and their roles.

    Header words may be split over cells (牵头 / 部门): adjacent cells are
    joined when together they make a header word.
    """
    i = 0
    while i < len(blocks):
        if header_role(blocks[i]) is None and not _joins_to_header(blocks, i):
            i += 1
            continue
        start, titles, j = i, [], i
        while j < len(blocks):
            k = _joins_to_header(blocks, j)
            if k:
                titles.append("".join(_squeeze(b) for b in blocks[j:j + k]))
                j += k
            elif header_role(blocks[j]) is not None and len(_squeeze(blocks[j])) <= 16:
                titles.append(_squeeze(blocks[j]))
                j += 1
            else:
                break
        roles = _roles(titles)
        if roles is not None:
            return start, j, titles, roles
        i = j if j > i else i + 1
    return None


def _joins_to_header(blocks: list[str], i: int) -> int:
    """How many cells from ``i`` join into one header word that is longer than any of them alone (0 if none)."""
    for k in (2, 3):
        if i + k <= len(blocks) and all(len(_squeeze(b)) <= 4 for b in blocks[i:i + k]):
            words = "".join(_squeeze(b) for b in blocks[i:i + k])
            if any(pattern.match(words) for _, pattern in _ROLE_OF):
                return k
    return 0


def _shape(cell: str) -> str:
    words = _squeeze(cell)
    if not words:
        return "empty"
    if len(words) <= 30 and _DATE.match(words):
        return "date"
    units = split_units(cell)
    if units and all(looks_like_unit(u) for u in units):
        return "unit"
    return "text"


_SCORES = {
    "task": {"text": 2.0, "unit": -3.0, "date": -2.0},
    "group": {"text": 1.0, "unit": -3.0, "date": -2.0},
    "other": {"text": 1.0, "unit": -1.0, "date": 0.5},
    "unknown": {"text": 1.0, "unit": -1.0, "date": 0.5},
    "deadline": {"text": -2.0, "unit": -3.0, "date": 2.0},
    "lead": {"text": -3.0, "unit": 2.0, "date": -3.0},
    "co": {"text": -3.0, "unit": 2.0, "date": -3.0},
    "units": {"text": -3.0, "unit": 2.0, "date": -3.0},
}
# A column that takes a second cell: a unit cell split by the page, a
# group heading over a sub-group. Extra cells in the lead column cost a
# little more, so that without other evidence a split cell is read as 配合
# (the first unit cell leads, the rest help).
_EXTRA = {"lead": -0.6, "co": -0.5, "units": -0.5, "group": -0.5, "other": -0.5, "unknown": -0.5, "task": -1.5}
# Between equal readings, a cell goes to the earlier column: a lone unit
# cell under 牵头部门 | 配合部门 is the lead's.
_EARLIER = 0.01
_SEEN_BONUS = 1.0


def _align(cells: list[str], slots: list[str], seen: list[set[str]] | None, *, drop_tail: bool) -> list[list[str]] | None:
    """Cells placed in slots in order, each slot taking 0, 1 or (some) several cells, best score first.

    ``seen`` holds, per slot, the texts the column holds in rows read
    earlier: a cell that matches one belongs there. With ``drop_tail``,
    cells after the last slot may be left out (the end of the table).
    """
    n, m = len(cells), len(slots)
    if n == 0:
        return [[] for _ in slots]
    shapes = [_shape(c) for c in cells]
    neg = float("-inf")
    # best[i][j]: best score placing cells[:i] into slots[:j+1], slot j last used (or empty).
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int]] = {}
    best[0][0] = 0.0
    for j in range(m):
        role = slots[j]
        for i in range(n + 1):
            if best[i][j] == neg:
                continue
            # Slot j stays empty (its cell was lost to a merge).
            if best[i][j] > best[i][j + 1]:
                best[i][j + 1] = best[i][j]
                back[(i, j + 1)] = (i, j)
            limit = n - i if role in _EXTRA else min(1, n - i)
            score = best[i][j]
            for k in range(1, limit + 1):
                cell = cells[i + k - 1]
                score += _SCORES[role].get(shapes[i + k - 1], 0.0)
                if seen is not None and _squeeze(cell) in seen[j]:
                    score += _SEEN_BONUS
                if k > 1:
                    score += _EXTRA[role]
                score += _EARLIER * (m - j)
                if score > best[i + k][j + 1]:
                    best[i + k][j + 1] = score
                    back[(i + k, j + 1)] = (i, j)
    end = n
    if drop_tail:
        end = max(range(n + 1), key=lambda i: (best[i][m], -i))
    if best[end][m] == neg:
        return None
    placed: list[list[str]] = [[] for _ in slots]
    i, j = end, m
    while j > 0:
        pi, pj = back[(i, j)]
        placed[pj] = cells[pi:i]
        i, j = pi, pj
    return placed


def flat_table_rows(lines: list[str]) -> list[list[str]]:
    """Rows of a task table flattened into text, the header first; [] when there is no task header.

    A row starts at its sequence number (a cell ``12``, or a task cell that
    opens with ``（12）`` when the table has no 序号 column), numbered on from
    the row before. The cells between two row starts are the rest of the
    first row and the leading columns of the next (a group cell); they are
    placed in the columns by their shape: unit lists in unit columns, dates
    in the deadline column, text elsewhere. A cell lost to a merged cell
    leaves its column empty. When a row has more unit cells than unit
    columns, the reading that puts cells where the same texts stand in
    other rows wins.
    """
    blocks = _blocks(lines)
    found = _flat_header(blocks)
    if found is None:
        return []
    _, body_start, titles, roles = found
    body = blocks[body_start:]
    for end, block in enumerate(body):
        if _TABLE_END.match(_squeeze(block)):
            body = body[:end]
            break
    body = _without_repeated_header(body, titles)
    number_at = roles.index("number") if "number" in roles else None
    start_at = number_at if number_at is not None else roles.index("task")
    starts = _row_starts(body, number_in_task=number_at is None)
    if not starts:
        return []
    pre, post = roles[:start_at], roles[start_at + 1:]

    def read(seen: list[set[str]] | None) -> list[list[str]] | None:
        rows = []
        leading = _align(body[:starts[0]], pre, seen and seen[:start_at], drop_tail=False) or [[] for _ in pre]
        for r, s in enumerate(starts):
            last = r + 1 == len(starts)
            segment = body[s + 1:starts[r + 1] if not last else len(body)]
            slots = post + ([] if last else pre)
            slot_seen = None
            if seen is not None:
                slot_seen = seen[start_at + 1:] + ([] if last else seen[:start_at])
            placed = _align(segment, slots, slot_seen, drop_tail=last)
            if placed is None:
                placed = [[] for _ in slots]
            row = leading + [[body[s]]] + placed[:len(post)]
            rows.append(["\n\n".join(cells) for cells in row])
            leading = placed[len(post):]
        return rows

    first = read(None)
    # What each column holds in rows where every column took one cell at most.
    seen: list[set[str]] = [set() for _ in roles]
    for row in first:
        for j, cell in enumerate(row):
            if cell and "\n\n" not in cell:
                seen[j].add(_squeeze(cell))
    return [titles] + read(seen)


def _without_repeated_header(body: list[str], titles: list[str]) -> list[str]:
    """The body without the header repeated where the table went on over a page."""
    words = [_squeeze(b) for b in body]
    out, i = [], 0
    while i < len(body):
        k = _header_run(words, i, titles)
        if k:
            i += k
        else:
            out.append(body[i])
            i += 1
    return out


def _header_run(words: list[str], i: int, titles: list[str]) -> int:
    """How many cells from ``i`` spell the header again (its titles, possibly split over cells), else 0."""
    j = i
    for title in titles:
        spelled = ""
        while j < len(words) and len(spelled) < len(title) and title.startswith(spelled + words[j]):
            spelled += words[j]
            j += 1
        if spelled != title:
            return 0
    return j - i


def _row_starts(body: list[str], *, number_in_task: bool) -> list[int]:
    starts, expected = [], None
    for i, block in enumerate(body):
        words = _squeeze(block)
        m = _NUMBERED_TASK.match(words) if number_in_task else _ROW_NUMBER.match(words)
        if not m:
            continue
        number = int(m.group(1))
        if (expected is None and number <= 2) or number == expected:
            starts.append(i)
            expected = number + 1
    return starts


def table_title(rows: list[list[str]]) -> str:
    """The title row above a table's header (one text across the row), or ""."""
    for row in rows:
        if is_task_header(row):
            break
        filled = {c.strip() for c in row if c and c.strip()}
        if len(filled) == 1:
            return filled.pop()
    return ""


_BARE_YEAR = re.compile(r"^((?:19|20)[0-9]{2})\s*年(?:度)?$")


def row_deadline(cell: str, year: int) -> Deadline | None:
    """The time limit of a row's deadline cell, with the cell's text as written."""
    words = cell.strip()
    if not words:
        return None
    bare = _BARE_YEAR.match(_squeeze(words))
    if bare:
        y = int(bare.group(1))
        return Deadline(text=words, start=date(y, 1, 1), end=date(y, 12, 31), kind="year")
    found = facts.deadline(words, year)
    return dataclasses.replace(found, text=words) if found else None


def task_sections(tasks: list[TableTask], *, name: str, year: int, first_id: int = 1, appendix: bool = False) -> list[Section]:
    """Sections of an outline made of table rows: one per group, in order, or one named ``name`` when there are no groups.

    The rows are the measures; a row's time limit is read from its deadline
    cell, else from its text.
    """
    sections: list[Section] = []
    by_group: dict[str, Section] = {}
    for task in tasks:
        key = task.group or name
        section = by_group.get(key)
        if section is None:
            label = match_label(key) if task.group else None
            section = Section(
                id=f"{'A' if appendix else ''}{first_id + len(sections)}",
                level=1,
                label=label.text if label else "",
                title=key[label.end:].strip() if label else key,
                appendix=appendix,
            )
            by_group[key] = section
            sections.append(section)
        text = task.text
        deadline = row_deadline(task.deadline, year) or facts.deadline(text, year)
        section.measures.append(Measure(
            id=f"{section.id}.{len(section.measures) + 1}",
            text=text,
            targets=facts.targets(text),
            deadline=deadline,
            responsibility=task.responsibility,
        ))
    return sections


def read_appendix_table(section: Section, year: int, lines: list[str] | None = None) -> bool:
    """Give an appendix section the rows of the task table flattened in its lines as measures.

    ``lines`` are its source lines when the section's own are not as they
    stand in the source. Returns whether it held a task table. The rows'
    groups are not made sections: an appendix is one part.
    """
    tasks = task_rows(flat_table_rows(section.lines if lines is None else lines))
    if not tasks:
        return False
    [part] = task_sections([dataclasses.replace(t, group="") for t in tasks], name=section.title, year=year)
    section.measures = part.measures
    for i, measure in enumerate(section.measures, 1):
        measure.id = f"{section.id}.{i}"
    return True
