"""Network views of the linzi-kg graph (pyvis); see the visualization issue."""
