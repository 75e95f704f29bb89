"""electron-ipc-conformance: a conformance suite for Electron's renderer IPC."""

__version__ = "0.1.0"
