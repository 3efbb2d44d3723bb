"""The web chat (Gradio): settings, handlers without Gradio, formatting, layout; `main()` serves it.

    python app.py [--host 127.0.0.1] [--port 7860] [--index index/]    # or: reportqa serve
"""

from webchat.config import Settings
from webchat.handlers import ChatHandlers
from webchat.main import main

__all__ = ["ChatHandlers", "Settings", "main"]
