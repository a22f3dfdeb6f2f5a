"""The wheel carries the shipped scenarios and fonts inside the package (all else is in pyproject.toml).

`scenarios/` and `assets/` at the top of the checkout are where they are written and stay there; at
build time a copy goes to `game/_shipped/` in the wheel, where `game/paths.py` finds it through
`importlib.resources`. MANIFEST.in puts the same folders into the sdist, so a wheel built from it has them too.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent

# folder of the checkout -> the files of it that ship (the same lists as MANIFEST.in)
SHIPPED = {
    "scenarios": ("*.yaml", "*.json", "*.md"),
    "assets/fonts": ("*.ttf", "*.txt"),
}


class BuildPyWithShipped(build_py):
    def run(self):
        super().run()
        for folder, patterns in SHIPPED.items():
            target = Path(self.build_lib, "game", "_shipped", folder)
            shutil.rmtree(target, ignore_errors=True)  # nothing left over from an earlier build
            target.mkdir(parents=True)
            files = sorted({path for pattern in patterns for path in (HERE / folder).glob(pattern)})
            if not files:
                raise SystemExit(f"setup.py: nothing to ship in {folder}/")
            for path in files:
                shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildPyWithShipped})
