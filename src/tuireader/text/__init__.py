"""Text units and word lists shared by clean/, analysis/ and store/ (see `units`)."""
