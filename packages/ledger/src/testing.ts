// testing entry
