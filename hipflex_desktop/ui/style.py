"""Colours and the application style sheet, kept in one place so screens match."""

from __future__ import annotations

ACCENT = "#e4572e"
ACCENT_SOFT = "#fde6df"
INK = "#1f2933"
MUTED = "#52606d"
SURFACE = "#ffffff"
BACKGROUND = "#f4f6f8"
BORDER = "#d9e2ec"
ERROR = "#c62828"

KIND_COLOURS = {
    "reps": "#2f6fde",
    "hold": "#8e44ad",
    "interval": "#e4572e",
    "per_side": "#16a085",
}

APP_STYLE_SHEET = f"""
QMainWindow, QWidget#page {{ background: {BACKGROUND}; }}
QListView#cardGrid {{ background: {BACKGROUND}; }}
QListWidget#navigation {{
    background: {INK}; color: #e4e7eb; border: none; font-size: 15px; outline: 0;
    padding-top: 8px;
}}
QListWidget#navigation::item {{ padding: 10px 16px; border-left: 4px solid transparent; }}
QListWidget#navigation::item:selected {{
    background: #323f4b; color: white; border-left: 4px solid {ACCENT};
}}
QListWidget#muscleList {{ font-size: 14px; }}
QListWidget#muscleList::item {{ padding: 5px 8px; }}
QLabel#pageTitle {{ font-size: 22px; font-weight: 600; color: {INK}; }}
QLabel#sectionTitle {{ font-size: 15px; font-weight: 600; color: {INK}; margin-top: 6px; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#fieldError {{ color: {ERROR}; }}
QLineEdit, QComboBox, QSpinBox {{ padding: 4px 6px; }}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; }}
QPushButton#primary {{
    background: {ACCENT}; color: white; border: none; border-radius: 6px; padding: 6px 14px;
    font-weight: 600;
}}
QPushButton#primary:disabled {{ background: #f3b4a3; }}
"""
