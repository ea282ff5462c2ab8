"""The IPython / Jupyter kernel gate (``%load_ext analyzer``)."""
