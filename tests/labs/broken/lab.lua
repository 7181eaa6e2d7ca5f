lab{ name = "broken" }
check{ name = "x", outptu = 0 }
