"""``ketacost log``: every byte before the new entry is kept, a bad entry or file is refused
with its place (exit 2) and leaves the file as it was, concurrent logs all land, and a log
killed between writing and renaming leaves the old file."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.files.ledger import load_ledger
from ketacost.model.ledger import ClaimFiled, Eob, ExtraCharge, Received, Visit

EXAMPLES = Path(__file__).parent.parent / "examples"

ODD = """\
# yaml-language-server: $schema=ledger.schema.json
# My ledger.   Trailing spaces here:   \t
kind: ledger   # the kind
clinic: los-angeles-iv
plan: "acme.yaml"
start: 2027-01-04

entries:
    # indented four, with flow items and comments between them
    -   date: 2027-01-04      # first visit
        visit: Session 1
        paid: "$750.00"
    - {date: 2027-01-07, visit: Session 2, paid: 750}

    # a comment after the last entry
# and one at the margin, with no newline at the end of the file"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "plans" / "acme-ppo.yaml", tmp_path / "acme.yaml")
    return tmp_path


def ledger(folder: Path, text: str = ODD, name: str = "ledger.yaml") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def log(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["log", str(path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_every_byte_before_the_entry_is_kept(folder: Path) -> None:
    path = ledger(folder)
    before = path.read_bytes()
    code, out, err = log(path, "visit", "Session 3", "--paid", "600", "--date", "2027-01-11")
    assert (code, out) == (0, ""), err
    after = path.read_bytes()
    assert after.startswith(before)
    # the file had no final newline: one is added, then the entry at the list's indent (4)
    assert after[len(before) :] == (
        b"\n    - date: 2027-01-11\n      visit: Session 3\n      paid: 600\n"
    )
    entries = load_ledger(path).ledger.entries
    assert [type(e) for e in entries] == [Visit, Visit, Visit]


def test_each_kind_of_entry_reads_back_as_logged(folder: Path) -> None:
    path = ledger(folder)
    assert log(path, "claim", "Session 1", "Session 2", "--date", "2027-01-08")[0] == 0
    args = ["--allowed", "525", "--deductible", "525", "--coinsurance", "0", "--plan-pays", "0"]
    assert log(path, "eob", "Session 1", *args, "--billed", "750", "--date", "2027-02-20")[0] == 0
    assert log(path, "eob", "Session 2", "--denied", "experimental: not covered")[0] == 0
    assert log(path, "received", "1,234.50", "--for", "Session 1", "--date", "2027-03-01")[0] == 0
    assert log(path, "charge", "Lab work: #2", "--amount", "$120", "--date", "2027-01-20")[0] == 0
    entries = load_ledger(path).ledger.entries[2:]
    claim, eob, denied, received, charge = entries
    assert isinstance(claim, ClaimFiled) and claim.claim == ("Session 1", "Session 2")
    assert isinstance(eob, Eob) and (eob.billed, eob.allowed, eob.plan_pays) == (750, 525, 0)
    assert eob.denied is None
    assert isinstance(denied, Eob) and denied.denied == "experimental: not covered"
    assert isinstance(received, Received)
    assert (str(received.received), received.for_) == ("1234.50", ("Session 1",))
    assert isinstance(charge, ExtraCharge) and charge.charge == "Lab work: #2"
    assert charge.amount == 120
    assert '    - date: 2027-01-20\n      charge: "Lab work: #2"\n      amount: 120\n' in (
        path.read_text(encoding="utf-8")
    )


def test_entries_before_another_key_get_the_entry_at_their_end(folder: Path) -> None:
    text = textwrap.dedent(
        """\
        kind: ledger
        clinic: los-angeles-iv
        start: 2027-01-04
        entries:
          - date: 2027-01-04
            visit: Session 1
            paid: 750   # cash
        # the estimate
        good_faith_estimate:
          date: 2027-01-02
          total: 3900
        """
    )
    path = ledger(folder, text)
    assert log(path, "visit", "Session 2", "--paid", "750", "--date", "2027-01-07")[0] == 0
    cut = text.index("# the estimate")
    added = "  - date: 2027-01-07\n    visit: Session 2\n    paid: 750\n"
    assert path.read_text(encoding="utf-8") == text[:cut] + added + text[cut:]


def test_a_ledger_without_entries_gets_a_list(folder: Path) -> None:
    text = "kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\nentries:\n"
    path = ledger(folder, text)
    assert log(path, "charge", "Intake", "--amount", "300", "--date", "2027-01-04")[0] == 0
    assert path.read_text(encoding="utf-8") == (
        text + "  - date: 2027-01-04\n    charge: Intake\n    amount: 300\n"
    )
    path = ledger(folder, text.replace("entries:\n", ""))
    assert log(path, "charge", "Intake", "--amount", "300", "--date", "2027-01-04")[0] == 0
    assert len(load_ledger(path).ledger.entries) == 1


def test_crlf_ledger_stays_crlf(folder: Path) -> None:
    text = "kind: ledger\r\nclinic: los-angeles-iv\r\nstart: 2027-01-04\r\nentries:\r\n"
    path = ledger(folder, text)
    assert log(path, "charge", "Intake", "--amount", "300", "--date", "2027-01-04")[0] == 0
    assert (
        path.read_bytes()
        == (text + "  - date: 2027-01-04\r\n    charge: Intake\r\n    amount: 300\r\n").encode()
    )


def test_flow_style_entries_are_refused_with_a_hint(folder: Path) -> None:
    path = ledger(
        folder,
        "kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\n"
        "entries: [{date: 2027-01-04, visit: Session 1, paid: 750}]\n",
    )
    before = path.read_bytes()
    code, out, err = log(path, "visit", "Session 2", "--paid", "750")
    assert (code, out) == (2, "")
    assert f"{path}:4:10: error: entries is not a block-style list" in err
    assert "hint: write entries in block style" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("empty", ["[]", "~", "null"])
def test_an_empty_list_written_in_flow_style_or_null_is_refused_not_an_internal_error(
    folder: Path, empty: str
) -> None:
    path = ledger(
        folder, f"kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\nentries: {empty}\n"
    )
    before = path.read_bytes()
    code, out, err = log(path, "visit", "Session 1", "--paid", "750", "--date", "2027-01-04")
    assert (code, out) == (2, "")
    assert f"{path}:4:10: error: entries is not a block-style list" in err
    assert "`entries:` with nothing after it starts an empty list" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["visit", "Session 3", "--paid", "6OO"], "--paid 6OO: error: expected an amount of money"),
        (["visit", "Session 3", "--paid", "-5"], "amount '-5' is negative"),
        (["visit", "Session 3", "--paid", "600", "--date", "2027-02-30"], "is not a date"),
        (["visit", " ", "--paid", "600"], "the label is empty"),
        (["eob", "Session 1", "--allowed", "525"], "an EOB needs --allowed and --plan-pays"),
        (["received", "234"], "Missing option '--for'"),
    ],
)
def test_a_bad_entry_is_refused_and_nothing_written(
    folder: Path, args: list[str], message: str
) -> None:
    path = ledger(folder)
    before = path.read_bytes()
    code, out, err = log(path, *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_a_broken_ledger_is_refused_with_its_place(folder: Path) -> None:
    path = ledger(folder, ODD.replace('        paid: "$750.00"', "        payd: 750"))
    before = path.read_bytes()
    code, _, err = log(path, "visit", "Session 3", "--paid", "600")
    assert code == 2
    assert f"{path}:12:9: error: unknown key 'payd' in entries.0" in err
    assert "did you mean 'paid'?" in err
    assert path.read_bytes() == before
    path.write_text("kind: ledger\nclinic: [unclosed\n", encoding="utf-8")
    code, _, err = log(path, "visit", "Session 3", "--paid", "600")
    assert code == 2
    assert f"{path}:3:1: error:" in err


def test_a_problem_after_the_entries_is_reported_at_its_line_in_the_file(folder: Path) -> None:
    # The new entry would go in above line 8; the bad total stays on line 10 of the file.
    text = (
        "kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\nentries:\n"
        "  - date: 2027-01-04\n    visit: Session 1\n    paid: 750\n"
        "good_faith_estimate:\n  date: 2027-01-02\n  total: -5\n"
    )
    path = ledger(folder, text)
    code, _, err = log(path, "visit", "Session 2", "--paid", "750", "--date", "2027-01-07")
    assert code == 2
    assert f"{path}:10:10: error:" in err and "negative" in err
    assert "  10 |   total: -5" in err
    assert path.read_bytes() == text.encode()


def test_the_ledger_is_parsed_once_when_the_entry_lands(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ketacost.files.ledger_append as ledger_file

    parsed: list[str] = []
    real_parse = ledger_file.parse

    def counting(path: str, text: str) -> object:
        parsed.append(text)
        return real_parse(path, text)

    monkeypatch.setattr(ledger_file, "parse", counting)
    path = ledger(folder)
    assert log(path, "visit", "Session 3", "--paid", "600", "--date", "2027-01-11")[0] == 0
    ledger_texts = [text for text in parsed if "kind: ledger" in text]
    assert ledger_texts == [path.read_text(encoding="utf-8")]  # once, as written


def test_read_only_ledger_is_refused(folder: Path) -> None:
    # ketacost refuses a ledger with no write permission bits, even for root (who could
    # write it anyway): a read-only ledger is one its owner chose to freeze.
    path = ledger(folder)
    path.chmod(0o444)
    before = path.read_bytes()
    code, _, err = log(path, "visit", "Session 3", "--paid", "600")
    assert code == 2
    assert f"{path}: error: the ledger is read-only, so nothing was logged" in err
    assert path.read_bytes() == before


def test_permission_bits_are_kept(folder: Path) -> None:
    path = ledger(folder)
    path.chmod(0o640)
    assert log(path, "visit", "Session 3", "--paid", "600")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_symlinked_ledger_is_written_through_the_link(folder: Path) -> None:
    target = ledger(folder)
    link = folder / "link.yaml"
    link.symlink_to(target)
    assert log(link, "visit", "Session 3", "--paid", "600")[0] == 0
    assert link.is_symlink()
    assert b"visit: Session 3" in target.read_bytes()


@pytest.mark.parametrize(("old", "new"), [("acme.yaml", "nope.yaml"), ("los-angeles-iv", "x.yaml")])
def test_missing_clinic_or_plan_is_refused(folder: Path, old: str, new: str) -> None:
    path = ledger(folder, ODD.replace(old, new))
    before = path.read_bytes()
    code, _, err = log(path, "visit", "Session 3", "--paid", "600")
    assert code == 2
    assert f"file {str(folder / new)!r} does not exist" in err
    assert path.read_bytes() == before


def test_missing_ledger_is_refused(folder: Path) -> None:
    code, _, err = log(folder / "none.yaml", "visit", "Session 1", "--paid", "750")
    assert code == 2
    assert "no such ledger" in err and "ketacost init --ledger" in err


def test_ledger_over_one_mib_is_refused(folder: Path) -> None:
    path = ledger(folder, ODD + "\n" + "# padding\n" * (1024 * 1024 // 10))
    assert path.stat().st_size > 1024 * 1024
    code, _, err = log(path, "visit", "Session 3", "--paid", "600")
    assert code == 2
    assert "over the 1 MiB (1,048,576 bytes) limit" in err
    # just under the limit: the entry would take it over, so it is refused too
    text = ODD + "\n"
    text += "#" * (1024 * 1024 - len(text.encode()) - 10) + "\n"
    path = ledger(folder, text)
    assert path.stat().st_size < 1024 * 1024
    code, _, err = log(path, "visit", "Session 3", "--paid", "600")
    assert code == 2
    assert "the ledger would grow over the 1 MiB" in err
    assert path.read_text(encoding="utf-8") == text


def _env() -> dict[str, str]:
    root = str(Path(__file__).parent.parent)
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


LOG = [sys.executable, "-m", "ketacost", "log"]


@pytest.mark.slow
def test_fifty_concurrent_logs_all_land(folder: Path) -> None:
    path = ledger(folder)
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [*LOG, str(path), "charge", f"Extra {n}", "--amount", str(n), "--date", "2027-02-01"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        for n in range(1, 51)
    ]
    failures = []
    for process in processes:
        _, err = process.communicate(timeout=300)
        if process.returncode != 0:
            failures.append(err.decode())
    assert failures == []
    entries = load_ledger(path).ledger.entries
    charges = sorted(e.charge for e in entries if isinstance(e, ExtraCharge))
    assert charges == sorted(f"Extra {n}" for n in range(1, 51))
    assert sum(e.amount for e in entries if isinstance(e, ExtraCharge)) == 50 * 51 // 2
    assert path.read_bytes().startswith(ODD.encode())
    assert time.monotonic() - started < 300


KILLED_WRITER = """\
import os, signal, sys
from pathlib import Path
import ketacost.files.ledger_append as ledger_file

def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)

os.replace = die  # the temporary file is written and synced; killed before the rename
ledger_file.append_entry(
    Path(sys.argv[1]), [("date", "2027-01-11"), ("visit", "Session 3"), ("paid", "600")],
    lambda document: None,
)
"""


@pytest.mark.slow
def test_a_log_killed_before_the_rename_leaves_the_old_file(folder: Path) -> None:
    path = ledger(folder)
    before = path.read_bytes()
    child = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(path)], env=_env(), capture_output=True
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert path.read_bytes() == before
    left = [
        p for p in folder.iterdir() if p.name.startswith(".ledger.yaml.") and p.suffix == ".tmp"
    ]
    assert len(left) == 1 and b"visit: Session 3" in left[0].read_bytes()  # the unrenamed copy
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.stderr
    # the lock died with the process: the next log goes through, and clears the leftover
    assert log(path, "visit", "Session 3", "--paid", "600")[0] == 0
    assert b"visit: Session 3" in path.read_bytes()
    assert not left[0].exists()


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_label_is_written_so_that_it_reads_back_the_same(label: str) -> None:
    from ketacost.files.ledger_append import scalar
    from ketacost.files.yaml_source import parse

    assert parse("entry", f"visit: {scalar(label)}\n").data == {"visit": label}


@st.composite
def ledgers(draw: st.DrawFn) -> str:
    """A ledger with entries in varied but valid layouts, comments and blank lines."""
    indent = " " * draw(st.sampled_from([0, 2, 4]))
    comment = st.sampled_from(["", "# note", "   # indented note", "#", "  "])
    lines = ["kind: ledger", "clinic: los-angeles-iv", "start: 2027-01-04"]
    lines += [draw(comment) for _ in range(draw(st.integers(0, 2)))]
    lines.append("entries:" + draw(st.sampled_from(["", "   # the register"])))
    for number in range(1, draw(st.integers(0, 4)) + 1):
        lines += [draw(comment) for _ in range(draw(st.integers(0, 2)))]
        if draw(st.booleans()):
            lines.append(
                f"{indent}- {{date: 2027-01-0{number}, visit: Session {number}, paid: 750}}"
            )
        else:
            lines.append(
                f"{indent}- date: 2027-01-0{number}" + draw(st.sampled_from(["", "  # x"]))
            )
            lines.append(f"{indent}  visit: Session {number}")
            lines.append(f"{indent}  paid: 750")
    lines += [draw(comment) for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        lines += ["good_faith_estimate:", "  date: 2027-01-02", "  total: 3900"]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@given(ledgers())
@settings(max_examples=150, deadline=None)
def test_appending_keeps_every_byte_and_adds_one_entry(text: str) -> None:
    from ketacost.files.ledger_append import with_entry
    from ketacost.files.yaml_source import parse
    from ketacost.model.ledger import Ledger

    document = parse("l.yaml", text)
    before = Ledger.model_validate(document.data).entries
    entry = [("date", "2027-02-01"), ("charge", "Lab work"), ("amount", "120")]
    new = with_entry(text, entry)
    after = Ledger.model_validate(parse("l.yaml", new).data).entries
    assert after[:-1] == before
    assert isinstance(after[-1], ExtraCharge) and after[-1].charge == "Lab work"
    # the old text is all there, in order: the new entry was inserted at one place
    added = len(new) - len(text)
    at = next((i for i in range(len(text) + 1) if new[:i] != text[:i]), len(text) + 1) - 1
    assert new[:at] + new[at + added :] == text


def test_how_it_was_paid_and_who_sent_it_back_are_logged(folder: Path) -> None:
    path = ledger(folder)
    before = path.read_text(encoding="utf-8")
    code, _, err = log(path, "visit", "Session 2", "--paid", "750", "--paid-with", "hsa",
                       "--date", "2027-01-07")  # fmt: skip
    assert code == 0, err
    code, _, err = log(path, "received", "40", "--for", "Session 2", "--from", "program",
                       "--date", "2027-02-20")  # fmt: skip
    assert code == 0, err
    assert "$40.00 received on 2027-02-20 from the program" in err
    added = path.read_text(encoding="utf-8").removeprefix(before)
    assert "paid: 750\n      paid_with: hsa\n" in added  # the ledger's own indentation
    assert "for: Session 2\n      from: program\n" in added
    # cash and the plan are the defaults: nothing is written for them
    code, _, _ = log(path, "charge", "Lab work", "--amount", "120", "--paid-with", "cash")
    assert code == 0 and "paid_with" not in path.read_text(encoding="utf-8").split("Lab work")[1]
    kept = path.read_bytes()
    code, _, err = log(path, "charge", "Lab", "--amount", "50", "--paid-with", "bitcoin")
    assert code == 2 and "use one of cash, card, loan, hsa, fsa" in err
    assert path.read_bytes() == kept


def test_a_reason_typed_over_several_lines_is_kept_on_one(folder: Path) -> None:
    path = ledger(folder, "kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\nentries:\n")
    code, _, err = log(
        path,
        "eob",
        "Session 1",
        "--denied",
        "Not necessary.\r\nSee\tpolicy",
        "--date",
        "2027-03-02",
    )
    assert code == 0, err
    assert "    denied: Not necessary. See policy\n" in path.read_text(encoding="utf-8")


def test_a_control_character_in_a_label_is_refused_at_its_flag(folder: Path) -> None:
    path = ledger(folder, "kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\nentries:\n")
    before = path.read_bytes()
    code, out, err = log(path, "eob", "Session 1", "--denied", "No\x1b[31m", "--date", "2027-03-02")
    assert (code, out) == (2, "")
    assert err.startswith("--denied: error: 'No\\u001b[31m': the control character U+001B")
    assert path.read_bytes() == before


def test_an_eob_paid_to_the_clinic_is_logged_with_what_it_paid_there(folder: Path) -> None:
    path = ledger(folder, "kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\nentries:\n")
    code, _, err = log(
        path, "eob", "Session 1", "--allowed", "525", "--plan-pays", "315",
        "--paid-to-clinic", "315", "--date", "2027-02-20",
    )  # fmt: skip
    assert code == 0, err
    assert "    plan_pays: 315\n    paid_to_clinic: 315\n" in path.read_text(encoding="utf-8")
