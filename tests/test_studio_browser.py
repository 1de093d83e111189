"""The studio in a real browser (Debian's chromium driven by Playwright) on a small book.

One studio serves the whole module; the tests run in order, as a producer would work:
look at the unsure lines, fix one by clicking, one by keyboard, merge two characters,
audition and choose a voice, build. After each step the cast file on disk and
`audiobook script --json` are checked. Set AUDIOBOOK_SCREENSHOTS=docs to refresh the
README's screenshots.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from studio_run import Studio, script_json

BOOK = Path(__file__).parent / "data" / "studio" / "book.txt"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
pytestmark = [pytest.mark.slow, pytest.mark.processes]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("studio")
    shutil.copy(BOOK, tmp / "book.txt")
    return tmp


@pytest.fixture(scope="module")
def studio(work):
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: run `make setup` (apt-get install chromium)")
    running = Studio(work / "book.txt", work / "book.cast.toml", work).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def page(studio):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        tab.goto(studio.url)
        yield tab
        browser.close()


def shoot(page: Page, work: Path, name: str) -> None:
    path = work / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    folder = os.environ.get("AUDIOBOOK_SCREENSHOTS")
    if folder:
        shutil.copy(path, Path(__file__).parent.parent / folder / f"studio-{name}.png")


def cast_file(studio: Studio) -> dict:
    return tomllib.loads(studio.cast.read_text(encoding="utf-8"))


def line(rows: list[dict], start: str) -> dict:
    found = [r for r in rows if r["text"].startswith(start)]
    assert found, start
    return found[0]


def wait_for_audio(page: Page) -> float:
    """The player's duration once it has loaded real audio (it fails on bytes it cannot play)."""
    page.wait_for_function(
        "() => { const a = document.getElementById('player');"
        " return a.error !== null || (a.readyState >= 1 && a.duration > 0); }",
        timeout=60_000,
    )
    assert page.evaluate("document.getElementById('player').error") is None
    return page.evaluate("document.getElementById('player').duration")


def test_chapters_and_the_unsure_filter(page, studio, work):
    expect(page.locator("nav li")).to_have_count(2)
    before = script_json(studio.book, studio.cast) if studio.cast.exists() else None
    assert before is None  # nothing written until the first fix
    all_lines = page.locator("#script .seg.dialogue")
    unsure = page.locator("#script .seg.dialogue.unsure")
    assert unsure.count() >= 1 and all_lines.count() > unsure.count()
    shoot(page, work, "chapter")
    page.check("#unsure-only")
    page.wait_for_url("**/chapter/1?unsure=1")
    expect(page.locator("#script .seg.dialogue")).to_have_count(unsure.count())
    assert page.locator("#script .seg.narration").count() == 0
    page.click("#next-unsure")
    expect(page.locator(".seg.dialogue.selected")).to_have_count(1)
    assert "unsure" in (page.locator(".seg.dialogue.selected").get_attribute("class") or "")
    # Past the chapter's last unsure line, the jump goes on in the next chapter.
    for _ in range(unsure.count() - 1):
        page.keyboard.press("n")
    page.keyboard.press("n")
    page.wait_for_url("**/chapter/2?unsure=1")
    expect(page.locator(".seg.dialogue.unsure.selected")).to_have_count(1)
    page.goto(studio.url + "chapter/1")


def test_click_a_line_to_hear_it_and_reassign_it(page, studio, work):
    target = page.locator(".seg.dialogue", has_text="Grandpa, you say that every winter.")
    line_id = target.get_attribute("data-line")
    assert target.get_attribute("data-speaker") == "Tom"
    target.click()
    assert wait_for_audio(page) > 0.5  # the line spoken, through the clip cache
    page.select_option("#assign-speaker", "Anna")
    page.click("#assign-form button[type=submit]")
    fixed = page.locator(f'.seg.dialogue[data-line="{line_id}"]')
    expect(fixed).to_have_attribute("data-speaker", "Anna")
    expect(fixed).to_have_class("seg dialogue fixed selected")
    shoot(page, work, "line")
    assert cast_file(studio)["lines"][line_id] == "Anna"
    row = line(script_json(studio.book, studio.cast), "Grandpa, you say")
    assert (row["speaker"], row["rule"], row["line"]) == ("Anna", "override", line_id)


def test_keyboard_moves_and_assigns_a_line(page, studio):
    first = page.locator(".seg.dialogue").first
    first.click()
    page.keyboard.press("ArrowDown")
    chosen = page.locator(".seg.dialogue.selected")
    assert chosen.get_attribute("data-line") == page.locator(".seg.dialogue").nth(1).get_attribute(
        "data-line"
    )
    line_id = chosen.get_attribute("data-line")
    hale_key = page.locator('.person[data-name="Mr. Hale"] kbd').inner_text()
    page.keyboard.press(hale_key)
    expect(page.locator(f'.seg.dialogue[data-line="{line_id}"]')).to_have_attribute(
        "data-speaker", "Mr. Hale"
    )
    assert cast_file(studio)["lines"][line_id] == "Mr. Hale"


def test_all_lines_of_one_character_are_another(page, studio):
    old_man = [
        r["line"] for r in script_json(studio.book, studio.cast) if r["speaker"] == "the old man"
    ]
    assert old_man
    page.select_option("#merge-source", "the old man")
    page.select_option("#merge-into", "Joe")
    page.click("#merge-form button[type=submit]")
    expect(page.locator('.person[data-name="the old man"]')).to_have_count(0)
    joe = cast_file(studio)["characters"]["Joe"]
    assert "the old man" in joe["aliases"]
    assert "the old man" not in cast_file(studio)["characters"]
    rows = script_json(studio.book, studio.cast)
    assert {r["speaker"] for r in rows if r["line"] in old_man} == {"Joe"}
    expect(page.locator(".seg.dialogue", has_text="The roads are bad")).to_have_attribute(
        "data-speaker", "Joe"
    )


def test_audition_a_voice_and_choose_it(page, studio, work):
    tom = page.locator('.person[data-name="Tom"]')
    current = tom.locator("select.voice").input_value()
    other = next(
        v
        for v in tom.locator("select.voice option").evaluate_all("os => os.map(o => o.value)")
        if v != current and v.endswith("+m4")
    )
    tom.locator("select.voice").select_option(other)
    tom.locator("button.audition").click()
    assert wait_for_audio(page) > 0.5
    src = page.evaluate("document.getElementById('player').src")
    assert f"voice={other.replace('+', '%2B')}" in src
    data = page.request.get(src).body()
    assert data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)  # MP3 bytes
    heard = work / "audition.mp3"
    heard.write_bytes(data)
    probe = subprocess.run(
        [
            *("ffprobe", "-v", "error", "-show_entries", "format=format_name,duration"),
            *("-of", "csv=p=0", str(heard)),
        ],
        capture_output=True,
        check=True,
    )
    name, seconds = probe.stdout.decode().strip().split(",")
    assert name == "mp3" and float(seconds) > 0.5
    shoot(page, work, "cast")
    with page.expect_navigation():  # the page is drawn again with the new voice
        tom.locator("button.use-voice").click()
    expect(page.locator('.person[data-name="Tom"] select.voice')).to_have_value(other)
    assert cast_file(studio)["characters"]["Tom"]["voice"] == other
    rows = script_json(studio.book, studio.cast)
    assert {r["voice"] for r in rows if r["speaker"] == "Tom"} == {other}


def test_build_from_the_page_then_rebuild_only_the_changed_chapter(page, studio, work):
    page.click("#build-button")
    expect(page.locator("#build-status")).to_contain_text(
        "Wrote 2 file(s), kept 0", timeout=300_000
    )
    files = sorted(p.name for p in studio.outdir.glob("*.mp3"))
    assert len(files) == 2
    stamps = {name: (studio.outdir / name).stat().st_mtime_ns for name in files}
    # A fix in chapter 2 only: chapter 1's file is kept as it is.
    page.goto(studio.url + "chapter/2")
    page.locator(".seg.dialogue", has_text="There is not much to tell").click()
    page.fill("#assign-new", "Martha")
    page.click("#assign-form button[type=submit]")
    expect(page.locator(".seg.dialogue", has_text="There is not much to tell")).to_have_attribute(
        "data-speaker", "Martha"
    )
    time.sleep(0.05)
    page.click("#build-button")
    expect(page.locator("#build-status")).to_contain_text(
        "Wrote 1 file(s), kept 1", timeout=300_000
    )
    assert (studio.outdir / files[0]).stat().st_mtime_ns == stamps[files[0]]
    assert (studio.outdir / files[1]).stat().st_mtime_ns != stamps[files[1]]
    shoot(page, work, "build")


def test_line_ids_survive_an_edit_elsewhere(studio):
    before = {r["text"]: r["line"] for r in script_json(studio.book, studio.cast)}
    text = studio.book.read_text(encoding="utf-8")
    studio.book.write_text(
        text.replace("The cart came at last", "The heavy cart came at last, slowly,"),
        encoding="utf-8",
    )
    after = script_json(studio.book, studio.cast)
    assert {r["text"]: r["line"] for r in after} == before
    row = line(after, "Grandpa, you say")
    assert (row["speaker"], row["rule"]) == ("Anna", "override")
