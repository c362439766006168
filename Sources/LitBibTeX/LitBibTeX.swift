// LitBibTeX: see the README architecture section.
import LitModel
