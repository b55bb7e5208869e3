"""galley: render a Quarto manuscript to HTML, PDF and DOCX, with or without Quarto."""

__version__ = "0.1.0"
