"""Writes the .npy files NpyTest reads, with NumPy itself (run: python make_npy.py in this directory).

Produced with NumPy 2.4 from /tmp/venvtest/venv; the files are committed, so the tests need no Python.
Each array is small and its values are simple, so NpyTest states them literally.
"""
import numpy as np
from numpy.lib import format as fmt

# float32, C order, v1.0: also the byte-for-byte reference for Npy.write
np.save("f4_2x3.npy", (np.arange(6, dtype="<f4") * 0.5 - 1).reshape(2, 3))     # [[-1,-.5,0],[.5,1,1.5]]
# float64 in Fortran order: must come back row-major
np.save("f8_fortran_2x3.npy", np.asfortranarray(np.array([[1.5, 2, 3], [4, 5, 6.25]], "<f8")))
# int16, 3-D, Fortran order: element [i,j,k] == 12*i + 4*j + k
np.save("i2_fortran_2x3x4.npy", np.asfortranarray(np.arange(24, dtype="<i2").reshape(2, 3, 4)))
# int64 at the edges of float32's exact integer range
np.save("i8_edges.npy", np.array([-(1 << 24), -1, 0, 7, 1 << 24], "<i8"))
# int64 just beyond the exact range: must be refused
np.save("i8_too_big.npy", np.array([[1, 2], [3, (1 << 24) + 1]], "<i8"))
# uint8 and bool (1-byte types use '|')
np.save("u1.npy", np.array([0, 1, 255], "|u1"))
np.save("b1.npy", np.array([True, False, True]))
# big-endian float32
np.save("f4_big_endian.npy", np.array([1.25, -2.0, 3.0e38], ">f4"))
# float16
np.save("f2.npy", np.array([0.5, -1.0, 65504.0], "<f2"))
# a 0-d array and an empty one
np.save("f4_scalar.npy", np.array(3.5, "<f4"))
np.save("f4_empty_0x3.npy", np.zeros((0, 3), "<f4"))
# version 2.0 and 3.0 headers
with open("i4_v2.npy", "wb") as f:
    fmt.write_array(f, np.array([[[1], [2]], [[3], [-4]]], "<i4"), version=(2, 0))
with open("f4_v3.npy", "wb") as f:
    fmt.write_array(f, np.array([0.25, 8.0], "<f4"), version=(3, 0))
# a structured dtype: must be refused
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
# an object array NumPy pickles (allow_pickle=True): must be refused without ever unpickling it
np.save("object_pickled.npy", np.array([{"payload": "os.system('echo pwned')"}, None], dtype=object),
        allow_pickle=True)
