"""The extractor version written into every record, so re-runs over old archives are traceable."""

# Bump on any change that can alter an extracted field.
EXTRACTOR_VERSION = "1.3.0"  # 1.2.0: the dates field (transforms/fields/dates.py), published_offset; 1.3.0: mentions
