"""One module per input format, each with `sniff(text) -> bool` and `parse(path, text) -> Records`."""
