"""Printable papers: packing slips, pick lists, shipping labels and pickup lists, each a
page to print from the browser and the same page as a PDF. `codes` draws the Code 128
barcode and the QR code as inline SVG; `rendering` answers a paper as HTML or PDF."""
