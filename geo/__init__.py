"""Places of Taiwan: boundaries, coordinate systems, the gazetteer and the geocoder."""
