"""The CSS both explorers share, as a string. It imports nothing.
"""

__all__ = ["COMMON_CSS"]

# Colours come from the website's theme (pydata-sphinx-theme's variables, which follow its
# light and dark modes), then JupyterLab's, then fixed values.
COMMON_CSS = """
.bx{--bx-fg:var(--pst-color-text-base,var(--jp-content-font-color1,#222));
--bx-muted:var(--pst-color-text-muted,var(--jp-content-font-color2,#555));
--bx-bg:var(--pst-color-background,var(--jp-layout-color0,#fff));
--bx-surface:var(--pst-color-surface,var(--jp-layout-color1,#f3f4f5));
--bx-border:var(--pst-color-border,var(--jp-border-color1,#bbb));
--bx-focus:var(--pst-color-accent,#b52b00);
--bx-c0:#0072B2;--bx-c1:#E69F00;--bx-c2:#009E73;--bx-chosen:#D55E00;--bx-near:#0072B2;
color:var(--bx-fg);background:var(--bx-bg);border:1px solid var(--bx-border);
border-radius:6px;padding:.8rem;margin:1rem 0;font-size:.95rem;line-height:1.4}
html[data-theme=dark] .bx,body[data-jp-theme-light=false] .bx{--bx-c0:#56B4E9;
--bx-chosen:#E69F00;--bx-near:#56B4E9;--bx-c1:#E69F00;--bx-c2:#009E73}
.bx p{margin:.2rem 0 .5rem}
.bx svg{display:block;width:100%;height:auto;overflow:visible}
.bx svg text{fill:var(--bx-fg);font-size:12px;font-family:inherit}
.bx .bx-axis{stroke:var(--bx-muted);stroke-width:1}
.bx label{font-weight:600;margin-right:.4rem}
.bx input[type=text],.bx select{color:var(--bx-fg);background:var(--bx-bg);
border:1px solid var(--bx-border);border-radius:4px;padding:.25rem .4rem;font:inherit}
.bx button{font:inherit;color:inherit}
.bx :focus-visible{outline:3px solid var(--bx-focus);outline-offset:2px}
.bx .bx-note{color:var(--bx-muted);font-size:.85rem}
.bx figure figcaption{text-align:left;margin:.3rem 0 0}
"""
