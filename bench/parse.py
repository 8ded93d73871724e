"""Parser speed: characters per second on a ~1 MB plan, and the cost of one jieba pass.

    .venv/bin/python bench/parse.py

Builds a plan of about one million characters from the seed (the Nanhu plan)
and variants of it: every part renumbered, its objectives reshuffled, numbers,
deadlines and place names varied, some parts written with （一）/1. labels
instead of lead phrases, all laid out as PDF-extracted text (lines wrapped
mid-sentence, a blank line after each, page numbers and a running header).
Then, in one run, it times the full parse (bytes → outline, decoding included)
and one plain ``jieba.lcut`` over the same text, and prints the ratio.
Goals: ratio ≤ 1.0 (the whole parse costs no more than one word-segmentation
pass) and the seed parsed in under 50 ms warm.

The parser itself never segments words; the jieba pass is only a yardstick
of the machine (a well-known, fixed amount of work on the same text), so that
the ratio means the same on a fast and a slow or busy machine.
"""
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from luoshi.parsing import parse_bytes, parse_text  # noqa: E402

SEED = ROOT / "luoshi" / "parsing" / "tests" / "data" / "seed.txt"
TARGET_CHARS = 1_000_000
LINE = 54
PLACES = ["南湖", "秀洲", "桐乡", "海宁", "平湖", "嘉善", "海盐", "青溪", "云湖", "桐华"]
CN = "一二三四五六七八九十"
EXTRAS = [
    "年底前新增规模以上工业企业{n}家。",
    "上半年完成投资{n}亿元以上。",
    "{m}月底前建成便民服务中心{n}个。",
    "力争全年接待游客增长{n}%以上。",
    "争创省级示范区，三季度完成验收。",
    "持续推进“三改一拆”“五水共治”，到2025年水质达标率达到9{m}%。",
]


def seed_parts() -> list[tuple[str, str, list[tuple[str, list[str]]]]]:
    """The seed's parts as (title, intro, [(objective, measures)])."""
    outline = parse_text(SEED.read_text(encoding="utf-8"), year=2018)
    return [
        (part.title, part.intro, [(s.title, [m.text for m in s.measures]) for s in part.sections])
        for part in outline.sections
    ]


def variant(rng: random.Random, parts, k: int) -> list[str]:
    """Paragraphs of one varied copy of the seed's body."""
    place = PLACES[k % len(PLACES)]
    out = [f"第{k}部分 {place}区第{k}批重点工作"]
    labelled = k % 3 == 0
    for i, (title, intro, objectives) in enumerate(rng.sample(parts, len(parts))):
        out.append(f"{CN[i]}、{title.replace('南湖', place)}")
        out.append(intro.replace("南湖", place))
        for j, (objective, measures) in enumerate(rng.sample(objectives, len(objectives))):
            body = [m.replace("南湖", place) for m in rng.sample(measures, len(measures))]
            body.append(rng.choice(EXTRAS).format(n=rng.randint(2, 300), m=rng.randint(1, 9)))
            if labelled:
                out.append(f"（{CN[j]}）{objective}")
                out.append("".join(body))
            else:
                out.append(f"{objective}。" + "".join(body))
    return out


def as_pdf_text(title: str, paragraphs: list[str]) -> str:
    """Wrap like a PDF extraction: broken lines, indented first lines, blank lines, page furniture."""
    lines = [title, ""]
    for paragraph in paragraphs:
        # The first line of a paragraph is indented by two characters.
        lines += [paragraph[:LINE - 2], ""]
        for start in range(LINE - 2, len(paragraph), LINE):
            lines += [paragraph[start:start + LINE], ""]
    out = []
    for n, start in enumerate(range(0, len(lines), 80), 1):
        out += lines[start:start + 80] + [f"- {n} -", "", "嘉兴市人民政府文件", ""]
    return "\n".join(out)


def build_plan() -> str:
    rng = random.Random(2018)
    parts = seed_parts()
    paragraphs: list[str] = ["今年，全市以高质量发展为主线，统筹推进各项重点工作，现将年度工作安排如下。"]
    k = 0
    while sum(map(len, paragraphs)) < TARGET_CHARS * 0.97:
        k += 1
        paragraphs += variant(rng, parts, k)
    paragraphs.append("新的一年，让我们团结一心、奋发有为，奋力谱写高质量发展新篇章！")
    return as_pdf_text("嘉兴市2018年重点工作安排", paragraphs)


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    text = build_plan()
    data = text.encode("utf-8")
    outline = parse_bytes(data)
    sections = sum(1 for _ in outline.walk())
    measures = sum(1 for _ in outline.measures())

    parse_seconds = best_of(3, lambda: parse_bytes(data))
    jieba_seconds = best_of(1, lambda: jieba.lcut(text))
    seed = SEED.read_bytes()
    parse_bytes(seed)
    seed_seconds = best_of(20, lambda: parse_bytes(seed))

    print(f"plan: {len(text):,} characters, {sections:,} sections, {measures:,} measures, {len(outline.programmes)} programmes")
    print(f"parse: {parse_seconds:.3f} s = {len(text) / parse_seconds:,.0f} characters/second")
    print(f"jieba.lcut: {jieba_seconds:.3f} s = {len(text) / jieba_seconds:,.0f} characters/second")
    ratio = parse_seconds / jieba_seconds
    print(f"ratio parse / jieba.lcut = {ratio:.2f} (goal ≤ 1.0) {'OK' if ratio <= 1.0 else 'OVER'}")
    print(f"seed warm parse: {seed_seconds * 1000:.1f} ms (goal < 50 ms) {'OK' if seed_seconds < 0.05 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
