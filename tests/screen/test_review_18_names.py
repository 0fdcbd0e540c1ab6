"""Review 18 (lists): a renamed OFAC file (a dated copy, a browser's "sdn (1).csv") is read as
the file its name starts with when its columns agree; a name that is no OFAC name says so; and
sdn.csv without alt.csv warns that the SDN aliases are missing."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from exportcheck.errors import ListDataError
from exportcheck.screen.parsers import ListWarning, detect_format, load_paths

SDN = ('36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
       '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
       '"a.k.a. \'BNC\'."\r\n\x1a\r\n')
ALT = '306,220,"aka","NATIONAL BANK OF CUBA",-0- \r\n\x1a\r\n'
ADD = '36,25,-0- ,"Havana",-0- ,"Cuba"\r\n'
COMMENTS = '306,"and more"\r\n'


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("latin-1"))
    return path


@pytest.mark.parametrize(("name", "text", "fmt"), [
    ("sdn_20240503.csv", SDN, "ofac:sdn:main"),
    ("sdn-2024-05.csv", SDN, "ofac:sdn:main"),
    ("sdn (1).csv", SDN, "ofac:sdn:main"),
    ("SDN(2).CSV", SDN, "ofac:sdn:main"),
    ("sdn_1_.csv", SDN, "ofac:sdn:main"),  # "sdn (1).csv" as the web upload stores it
    ("alt_20240503.csv", ALT, "ofac:sdn:alt"),
    ("add (3).csv", ADD, "ofac:sdn:add"),
    ("sdn_comments_x.csv", COMMENTS, "ofac:sdn:comments"),
    ("cons_prim (2).csv", SDN, "ofac:cons:main"),
    ("cons_alt-2024.csv", ALT, "ofac:cons:alt"),
])
def test_a_renamed_ofac_file_is_the_file_its_name_starts_with(tmp_path: Path, name: str,
                                                              text: str, fmt: str) -> None:
    assert detect_format(_write(tmp_path, name, text)) == fmt


def test_a_dated_copy_loads_as_the_official_file(tmp_path: Path) -> None:
    """It was refused as "unrecognised list format" although SDN.CSV loaded."""
    files = [_write(tmp_path, "sdn_20240503.csv", SDN), _write(tmp_path, "alt (1).csv", ALT)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ListWarning)  # alt.csv given: no warning
        (parsed,) = load_paths(files)
    assert parsed.source == "ofac-sdn" and parsed.row_count == 2
    bank = next(e for e in parsed.entries if e.entry_id == "306")
    assert "NATIONAL BANK OF CUBA" in bank.aliases


def test_columns_that_disagree_with_the_name_are_refused_naming_both(tmp_path: Path) -> None:
    path = _write(tmp_path, "sdn_2024.csv", ALT)
    with pytest.raises(ListDataError) as exc:
        load_paths([path])
    assert str(exc.value) == (
        f"{path}: named as OFAC sdn.csv (12 columns) but its first record has 5 columns, as "
        "alt.csv or cons_alt.csv has: rename it after the file it is")


@pytest.mark.parametrize("name", ["sdnlist.csv", "my_sdn.csv", "address.csv", "sdn.csv.1"])
def test_an_unrecognised_name_says_the_name_failed_and_lists_the_names(tmp_path: Path,
                                                                       name: str) -> None:
    with pytest.raises(ListDataError) as exc:
        load_paths([_write(tmp_path, name, SDN)])
    message = str(exc.value)
    assert f"{name!r} is not an OFAC list file name" in message or (
        "unrecognised list format: its name is not an OFAC" in message)
    for accepted in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "cons_prim.csv",
                     "cons_alt.csv", "cons_add.csv", "cons_comments.csv", "'sdn (1).csv'"):
        assert accepted in message, (accepted, message)


def test_sdn_without_alt_warns_that_the_aliases_are_missing(tmp_path: Path) -> None:
    with pytest.warns(ListWarning) as caught:
        load_paths([_write(tmp_path, "sdn.csv", SDN)])
    assert [str(w.message) for w in caught] == [
        "sdn.csv loaded without alt.csv: the SDN aliases (a.k.a.) are missing; load alt.csv, "
        "add.csv and sdn_comments.csv with it"]


def test_lists_load_prints_the_warning_and_takes_a_renamed_file(tmp_path: Path, cli) -> None:
    path = _write(tmp_path, "sdn (1).csv", SDN)
    code, out, err = cli(["lists", "load", str(path)])
    assert code == 0, err
    assert err == ("warning: sdn (1).csv loaded without alt.csv: the SDN aliases (a.k.a.) are "
                   "missing; load alt.csv, add.csv and sdn_comments.csv with it\n")
    assert "ofac-sdn" in out and "activated" in out
    code, out, err = cli(["lists", "load", str(_write(tmp_path, "sdnlist.csv", SDN))])
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    assert "'sdnlist.csv' is not an OFAC list file name" in err
