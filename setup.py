"""`pip install .`: configures and builds the kqlite_python target with CMake, then installs python/kqlite with the
built extension beside it (pyproject.toml holds the metadata). KQLITE_CMAKE_BUILD_DIR=FOLDER reuses an already
configured CMake build folder (only the kqlite_python target is built there) instead of configuring a new one."""
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, extension):
        build_dir = os.environ.get("KQLITE_CMAKE_BUILD_DIR")
        if build_dir:
            build_dir = os.path.abspath(build_dir)
        else:
            build_dir = os.path.join(os.path.abspath(self.build_temp), "cmake")
            os.makedirs(build_dir, exist_ok=True)
            generator = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.check_call(["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release",
                                   "-DKQL_BUILD_TESTS=OFF", "-DKQL_WEB_ASSETS=OFF",
                                   f"-DPython3_EXECUTABLE={sys.executable}", *generator])
        subprocess.check_call(["cmake", "--build", build_dir, "--target", "kqlite_python",
                               "-j", str(os.cpu_count() or 2)])
        built = os.path.join(build_dir, "python", "kqlite")
        modules = [name for name in os.listdir(built) if name.startswith("_kqlite") and name.endswith(".so")]
        if not modules:
            raise RuntimeError(f"the CMake build made no _kqlite*.so in {built} (is pybind11-dev installed?)")
        target = self.get_ext_fullpath(extension.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(built, modules[0]), target)


setup(
    packages=["kqlite"],
    package_dir={"": "python"},
    ext_modules=[Extension("kqlite._kqlite", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
