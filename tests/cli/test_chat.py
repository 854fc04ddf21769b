"""`komek chat` driven through a pseudo-terminal, as a person at a keyboard would."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pexpect


def komek() -> str:
    found = shutil.which("komek", path=str(Path(sys.executable).parent))
    assert found, "the komek console script is installed with the package"
    return found


def test_onboarding_and_repeat_in_the_terminal(tmp_path: Path, models_dir: Path) -> None:
    (tmp_path / "models").symlink_to(models_dir)  # the session's trained NLU, not a retrain
    env = {**os.environ, "KOMEK_DATA_DIR": str(tmp_path), "KOMEK_ENVIRONMENT": "test"}
    child = pexpect.spawn(komek(), ["chat"], env=env, encoding="utf-8", timeout=60)
    try:
        child.expect("Step 1 of 4")
        child.expect("> ")
        child.sendline("2")
        child.expect("Шаг 2 из 4")
        child.expect(r"\[1\. Текст\]")
        child.sendline("текст")
        child.expect("Шаг 3 из 4")
        child.sendline("пропустить")
        child.expect("Шаг 4 из 4")
        child.expect(r"\[20\. город Шымкент\]")
        child.sendline("пропустить")
        child.expect("Всё готово")
        child.sendline("повтори")
        child.expect("Всё готово")
        child.sendline("мои данные")
        child.expect("Язык: русский")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "komek.db").exists()
