"""Draw the program icon (resources/icons/unionsdesk.{png,ico,svg}) once; the files are committed.

A red rounded square with 工 in the bundled UMing font: run with the project's venv,
``QT_QPA_PLATFORM=offscreen .venv/bin/python installer/tools/make_icon.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "resources" / "icons"
RED, GOLD = "#C8102E", "#FFD75E"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(RED))
    m = size * 0.04
    p.drawRoundedRect(QRectF(m, m, size - 2 * m, size - 2 * m), size * 0.18, size * 0.18)
    family = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "uming.ttc"))
    )[0]
    font = QFont(family)
    font.setPixelSize(int(size * 0.72))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor(GOLD))
    p.drawText(QRectF(0, -size * 0.02, size, size), Qt.AlignmentFlag.AlignCenter, "工")
    p.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "unionsdesk.png"))
    Image.open(OUT / "unionsdesk.png").save(
        OUT / "unionsdesk.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    (OUT / "unionsdesk.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256">'
        f'<rect x="10" y="10" width="236" height="236" rx="46" fill="{RED}"/>'
        f'<text x="128" y="196" font-size="184" font-weight="bold" text-anchor="middle" fill="{GOLD}" '
        'font-family="AR PL UMing CN, serif">工</text></svg>\n',
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
