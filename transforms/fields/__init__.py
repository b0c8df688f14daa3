"""Field extractors: each module reads one part of the record from a `transforms.page.Page`."""
