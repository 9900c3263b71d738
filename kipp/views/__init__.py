"""Streamlit UI sections shared by pages (each page file stays a thin shell)."""
