import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


def pytest_report_header():
    tools = {t: shutil.which(t) for t in ("espeak-ng", "ffmpeg", "ffprobe")}
    return "tools: " + ", ".join(f"{k}={v}" for k, v in tools.items())
