"""The web chat's entry point: `python app.py [--host H] [--port P] [--index DIR]` (or `reportqa serve`).

Everything else lives in the `webchat/` package: settings (config.py), the handlers of each event
without Gradio (handlers.py), formatting (render.py), uploads and downloads (files.py), layout and
wiring (ui.py). A script can ask through the named endpoint:

    from gradio_client import Client
    markdown, answer = Client("http://127.0.0.1:7860/").predict("How many ...?", [], api_name="/ask")
"""

import sys

from webchat.main import main

if __name__ == "__main__":
    sys.exit(main())
