from huoyan.cli import main

main()
