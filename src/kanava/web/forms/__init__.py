"""Forms of the workbench that are more than a few fields: the plan editor and the wizard."""
