"""Stage 5: OWL-RL inference, the ontology compiled to rules, materialised into its own graph."""
