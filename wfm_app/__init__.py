"""The Streamlit dashboard's pages and their shared helpers (the only package that imports
``streamlit``, with ``app.py``)."""
