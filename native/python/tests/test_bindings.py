# Copyright 2025 Switchboard contributors.
"""The ctypes declarations agree with switchboard.h: a C program compiled against the header prints sizeof and
offsetof of every struct member the package declares, compared with ctypes' own figures."""
import ctypes
import os
import shutil
import subprocess

import pytest

from switchboard import _lib

HEADER_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include")

STRUCTS = {"sb_message": _lib.sb_message, "sb_agent_info": _lib.sb_agent_info}


def c_layout(tmp_path):
    if shutil.which("gcc") is None:
        pytest.fail("gcc is not on PATH: the layout check compiles a C program (build-essential)")
    lines = ["#include <stdio.h>", "#include <stddef.h>", "#include \"switchboard.h\"", "int main(void) {"]
    for name, struct in STRUCTS.items():
        lines.append(f'printf("{name} %zu\\n", sizeof({name}));')
        for field, _ in struct._fields_:
            lines.append(f'printf("{name}.{field} %zu\\n", offsetof({name}, {field}));')
    lines += ["return 0;", "}"]
    source = tmp_path / "layout.c"
    source.write_text("\n".join(lines))
    binary = tmp_path / "layout"
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Werror", "-I", HEADER_DIR, str(source), "-o", str(binary)],
                   check=True, capture_output=True, text=True)
    output = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    return dict(line.split() for line in output.splitlines())


def python_layout():
    layout = {}
    for name, struct in STRUCTS.items():
        layout[name] = str(ctypes.sizeof(struct))
        for field, _ in struct._fields_:
            layout[f"{name}.{field}"] = str(getattr(struct, field).offset)
    return layout


def test_struct_sizes_and_offsets_match_the_header(tmp_path):
    assert python_layout() == c_layout(tmp_path)


def test_every_declared_function_is_in_the_header():
    with open(os.path.join(HEADER_DIR, "switchboard.h"), encoding="utf-8") as header:
        text = header.read()
    missing = [name for name in _lib._FUNCTIONS if f" {name}(" not in text and f"*{name}(" not in text]
    assert missing == []


def test_limits_match_the_header():
    with open(os.path.join(HEADER_DIR, "switchboard.h"), encoding="utf-8") as header:
        text = header.read()
    for macro, value in [("SB_MAX_NAME_LENGTH", _lib.MAX_NAME_LENGTH), ("SB_MAX_CAPABILITIES", _lib.MAX_CAPABILITIES),
                         ("SB_MAX_CAPABILITY_LENGTH", _lib.MAX_CAPABILITY_LENGTH),
                         ("SB_MAX_PATH_LENGTH", _lib.MAX_PATH_LENGTH)]:
        assert f"#define {macro} {value} " in text, macro
