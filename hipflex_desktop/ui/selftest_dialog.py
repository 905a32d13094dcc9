"""The guided knee-to-chest check: how to do it, then one question per side, then a summary.

The dialog only collects answers; the caller saves :meth:`SelfTestDialog.results`
(``CoachingStore.add_self_test_results``). ``side`` in a result is the hip being
checked, i.e. the leg that stays long on the floor while the other knee is hugged in.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hipflex_desktop.domain.history import Side
from hipflex_desktop.domain.selftest import (
    SELF_TEST_MEANING,
    SELF_TEST_STEPS,
    Outcome,
    SelfTestResult,
    record_result,
)
from hipflex_desktop.ui import style

SIDES = (Side.LEFT, Side.RIGHT)
_OTHER = {Side.LEFT: "right", Side.RIGHT: "left"}

DIALOG_STYLE = f"""
QDialog#selfTest {{ background: {style.BACKGROUND}; }}
QLabel#stepTitle {{ font-size: 18px; font-weight: 600; color: {style.INK}; }}
QLabel#question {{ font-size: 15px; color: {style.INK}; }}
QPushButton#answer {{
    background: {style.SURFACE}; border: 1px solid {style.BORDER}; border-radius: 8px;
    padding: 14px 18px; font-size: 15px; font-weight: 600; color: {style.INK};
}}
QPushButton#answer:hover {{ border-color: {style.ACCENT}; }}
QPushButton#answer:focus {{ border: 2px solid {style.ACCENT}; }}
QLabel#stepCount {{ color: {style.MUTED}; font-size: 12px; }}
"""


class SelfTestDialog(QDialog):
    """Intro → left hip → right hip → summary; Save accepts with both answers."""

    def __init__(self, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.setObjectName("selfTest")
        self.setWindowTitle("Knee-to-chest check")
        self.setModal(True)
        self.setStyleSheet(DIALOG_STYLE)
        self.setMinimumSize(520, 420)
        self._clock = clock
        self._answers: dict[Side, Outcome] = {}
        self._results: list[SelfTestResult] = []

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._intro_page())
        self.answer_buttons: dict[tuple[Side, Outcome], QPushButton] = {}
        for side in SIDES:
            self.pages.addWidget(self._side_page(side))
        self.pages.addWidget(self._summary_page())

        self.back_button = QPushButton("Back", self)
        self.back_button.clicked.connect(self.go_back)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.reject)
        self.next_button = QPushButton("Start with the left hip", self)
        self.next_button.setObjectName("primary")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.go_next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self._show(0)

    # -- pages ----------------------------------------------------------------------------

    def _intro_page(self) -> QWidget:
        page = QWidget(self)
        title = QLabel("Knee-to-chest check", page)
        title.setObjectName("stepTitle")
        steps = "".join(f"<li style='margin-bottom:6px'>{html.escape(s)}</li>"
                        for s in SELF_TEST_STEPS)
        body = QLabel(f"<ol style='margin-left:-20px'>{steps}</ol>", page)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        meaning = QLabel(SELF_TEST_MEANING, page)
        meaning.setObjectName("muted")
        meaning.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(body)
        layout.addWidget(meaning)
        layout.addStretch(1)
        return page

    def _side_page(self, side: Side) -> QWidget:
        page = QWidget(self)
        other = _OTHER[side]
        count = QLabel(f"Step {SIDES.index(side) + 1} of 2", page)
        count.setObjectName("stepCount")
        title = QLabel(f"{side.value.capitalize()} hip", page)
        title.setObjectName("stepTitle")
        how = QLabel(
            f"Lie on your back with both legs long. Hug your <b>{other}</b> knee in to your "
            f"chest and let your lower back rest on the floor. Keep the <b>{side.value}</b> "
            "leg relaxed; do not press it down.", page)
        how.setTextFormat(Qt.TextFormat.RichText)
        how.setWordWrap(True)
        question = QLabel(f"What did the back of your {side.value} thigh do?", page)
        question.setObjectName("question")
        question.setWordWrap(True)
        answers = QHBoxLayout()
        for outcome, detail in ((Outcome.PASSED, "it stayed on the floor"),
                                (Outcome.OTHER_LEG_LIFTED, "it rose off the floor")):
            button = QPushButton(f"{outcome.label}\n{detail}", page)
            button.setObjectName("answer")
            button.setAccessibleName(f"{side.value} hip: {outcome.label}")
            button.setProperty("side", side.value)
            button.setProperty("outcome", outcome.value)
            button.clicked.connect(self._on_answer)
            answers.addWidget(button)
            self.answer_buttons[(side, outcome)] = button
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(count)
        layout.addWidget(title)
        layout.addSpacing(4)
        layout.addWidget(how)
        layout.addSpacing(12)
        layout.addWidget(question)
        layout.addLayout(answers)
        layout.addStretch(1)
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget(self)
        title = QLabel("Your result", page)
        title.setObjectName("stepTitle")
        self.summary_label = QLabel(page)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        meaning = QLabel(SELF_TEST_MEANING, page)
        meaning.setObjectName("muted")
        meaning.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.summary_label)
        layout.addSpacing(8)
        layout.addWidget(meaning)
        layout.addStretch(1)
        return page

    # -- flow -----------------------------------------------------------------------------

    def current_step(self) -> int:
        return self.pages.currentIndex()

    def _show(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.back_button.setVisible(index > 0)
        last = self.pages.count() - 1
        if index == 0:
            self.next_button.setText("Start with the left hip")
            self.next_button.show()
        elif index == last:
            self.summary_label.setText(self._summary_html())
            self.next_button.setText("Save result")
            self.next_button.show()
            self.next_button.setFocus()
        else:
            self.next_button.hide()  # the answer buttons move on
            side = SIDES[index - 1]
            chosen = self._answers.get(side, Outcome.PASSED)
            self.answer_buttons[(side, chosen)].setFocus()

    def answer(self, side: Side, outcome: Outcome) -> None:
        """Record one side's outcome and move on (what the answer buttons do)."""
        self._answers[side] = outcome
        self._show(SIDES.index(side) + 2)

    def _on_answer(self) -> None:
        button = self.sender()
        assert isinstance(button, QPushButton)
        self.answer(Side(str(button.property("side"))), Outcome(str(button.property("outcome"))))

    def go_next(self) -> None:
        if self.current_step() == self.pages.count() - 1:
            self.save()
        else:
            self._show(self.current_step() + 1)

    def go_back(self) -> None:
        if self.current_step() > 0:
            self._show(self.current_step() - 1)

    def save(self) -> None:
        if set(self._answers) != set(SIDES):
            return
        now = self._clock()
        self._results = [record_result(side, self._answers[side], now) for side in SIDES]
        self.accept()

    def results(self) -> list[SelfTestResult]:
        """Both sides' results once saved (empty if cancelled)."""
        return list(self._results)

    def _summary_html(self) -> str:
        rows = []
        for side in SIDES:
            outcome = self._answers.get(side)
            if outcome is None:
                continue
            colour = style.KIND_COLOURS["per_side"] if outcome is Outcome.PASSED else style.ACCENT
            rows.append(f"<p style='font-size:15px'>{side.value.capitalize()} hip: "
                        f"<b style='color:{colour}'>{outcome.label}</b></p>")
        return "".join(rows)
