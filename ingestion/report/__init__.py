"""The static crisis report (`ecw report`): published marts in, offline HTML with SVG charts out."""
