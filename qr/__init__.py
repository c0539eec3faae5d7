"""The sticker: tokens, QR images and the /u/<token> route, built in the sticker issue."""
