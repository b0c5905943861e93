"""The violations register (查处违法违规): cases found at the border, their people, voyage, disposition and unit."""
