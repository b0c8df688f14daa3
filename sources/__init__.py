"""Source profiles: the model and loader (sources.config), the shipped profiles (profiles/*.yaml, the replica's
sites) and registry (registry/*.yaml, the real provincial sites), the administrative units they are checked
against (transforms.units) and the origins a profile names (sources.origins).

Every stage reads profiles from here: the crawler, the transform stage, the CLI and the DAGs. This package
imports transforms (the selector model, the constants) and nothing else of the project.
"""
