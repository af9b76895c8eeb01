"""The vendored Bootstrap Italia files are the npm package's bootstrap-italia@2.18.3
dist files, unchanged, with their licences; every page links them, and every font
fonts.css names is there."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "shared" / "static"
VENDOR = STATIC / "vendor" / "bootstrap-italia"
# sha256 of the files in the npm tarball bootstrap-italia-2.18.3.tgz (package/dist/..., package/LICENSE)
TITILLIUM = "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-"
SHA256 = {
    "css/bootstrap-italia.min.css": "0f5fc9a092cd008eeee34c1e09b8af72ebdee9b8bd26f2eebaa109cc76115ad8",
    "LICENSE": "4facc589de131a7f717775a4253c98a80b5caed429bc1c199eb7a968511f00ae",
    "fonts/Titillium_Web/OFL.txt": "c0562e066174197902a4a10606673d189f067970ef89c6013943b9cf182aadbc",
    TITILLIUM + "300.woff2": "ce55498632b4ba8d4be7b6b86162d8f28ceef51d63d672d87acaddc23ce50d98",
    TITILLIUM + "300italic.woff2": "19cefc1699f38746594100768d946d329fd04b7533bec1bff8bd6d27a6149144",
    TITILLIUM + "regular.woff2": "5daca596c9f07f1735ce65a4ae52fd750a32acfa6e241a3fadaea95de354f4d1",
    TITILLIUM + "italic.woff2": "fa906b78150737b0228591c83eb8e636cb9b66ba8e744c67762fe1ab8e25c21d",
    TITILLIUM + "600.woff2": "f00b110dfb2875dcc202f7b685d39705414ab3500b4b13666bc749e17bb670f6",
    TITILLIUM + "600italic.woff2": "7d3715972f15e86b219aa7cd6da62a16b82eb9ad9310a000b85ce5062c011f6f",
    TITILLIUM + "700.woff2": "4d86abb016cadc41c627eba35643998b97dab66ddb1f8435ce7c4b3aeb96cb9c",
    TITILLIUM + "700italic.woff2": "4d09151c05e1e662c4bfa4864965e3311b914bee964d7f2bd5c3178c1afa0e24",
}


def test_the_vendored_files_are_the_released_ones():
    for name, digest in SHA256.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_only_the_listed_files_are_vendored():
    present = {str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*") if p.is_file()}
    assert present == set(SHA256)


def test_the_licences_are_bsd_and_ofl():
    assert "Redistribution and use in source and binary forms" in (VENDOR / "LICENSE").read_text()
    assert "SIL OPEN FONT LICENSE" in (VENDOR / "fonts/Titillium_Web/OFL.txt").read_text().upper()


def test_fonts_css_names_only_vendored_fonts_and_all_of_them():
    named = set(re.findall(r"url\('([^']+)'\)", (STATIC / "fonts.css").read_text()))
    assert {str((STATIC / n).relative_to(VENDOR)) for n in named} == {n for n in SHA256 if n.endswith(".woff2")}


def test_the_base_template_links_the_style_sheets_in_order():
    base = (STATIC.parent / "templates" / "base.html").read_text()
    order = [base.index(name) for name in ("bootstrap-italia.min.css", "fonts.css", "site.css")]
    assert order == sorted(order)
