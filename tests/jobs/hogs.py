"""Job functions for the worker tests, importable by a forked work horse."""


def allocate(_instance: str, megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)
